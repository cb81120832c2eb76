/* The article and page forms propose the text's language while the writer types.
   Mostly Hebrew letters in the headline, the standfirst or the body -> Hebrew; otherwise it goes
   back to what it was. Once the writer picks a language by hand, it is left alone (and the
   server is told, through the hidden `language_chosen` field). The rule mirrors
   jtvc/languages.py: keep the two alike. No inline script: this file is allowed by the CSP. */
(function () {
  "use strict";
  var HEBREW = /[\u05D0-\u05EA\u05F0-\u05F4\uFB1D-\uFB4F]/;
  var LETTER = /\p{L}/u;
  var RTL = { he: true, ar: true, fa: true, ur: true, yi: true };

  function counts(text) {
    var hebrew = 0, letters = 0;
    for (var ch of text || "") {
      if (LETTER.test(ch)) {
        letters += 1;
        if (HEBREW.test(ch)) hebrew += 1;
      }
    }
    return [hebrew, letters];
  }

  function detect(texts) {
    var hebrew = 0, letters = 0;
    texts.forEach(function (t) { var c = counts(t); hebrew += c[0]; letters += c[1]; });
    return letters >= 3 && hebrew / letters > 0.5 ? "he" : null;
  }

  function plain(html) {
    var box = document.createElement("div");
    box.innerHTML = html || "";
    return box.textContent;
  }

  function start() {
    var select = document.getElementById("id_language");
    var chosen = document.getElementById("id_language_chosen");
    if (!select || select.disabled) return;
    var title = document.getElementById("id_title");
    var dek = document.getElementById("id_dek");
    var body = document.getElementById("id_body");
    var note = document.createElement("p");
    note.className = "help language-note";
    note.setAttribute("role", "status");
    select.parentNode.appendChild(note);
    var byHand = chosen && chosen.value === "True";
    var fallback = select.value;
    var editor = null;

    function setEditorDirection(language) {
      var dir = RTL[language] ? "rtl" : "ltr";
      if (body) body.setAttribute("dir", dir);
      if (!editor) return;
      editor.editing.view.change(function (writer) {
        var root = editor.editing.view.document.getRoot();
        writer.setAttribute("dir", dir, root);
        writer.setAttribute("lang", language, root);
      });
    }

    function bodyText() {
      if (editor) return plain(editor.getData());
      return body ? plain(body.value) : "";
    }

    function propose() {
      if (byHand) return;
      // The headline, the standfirst or the body alone may decide (as on the server).
      var found = detect([title ? title.value : ""]) || detect([dek ? dek.value : ""]) ||
        detect([bodyText()]);
      var wanted = found || fallback;
      if (select.value !== wanted) {
        select.value = wanted;
        setEditorDirection(wanted);
        note.textContent = found
          ? "Language set to " + select.options[select.selectedIndex].text +
            " because the text is mostly in it. Change it if that is wrong."
          : "";
      }
    }

    select.addEventListener("change", function () {
      byHand = true;
      if (chosen) chosen.value = "True";
      note.textContent = "";
      setEditorDirection(select.value);
    });
    [title, dek].forEach(function (field) {
      if (field) field.addEventListener("input", propose);
    });

    function attach(instance) {
      editor = instance;
      editor.model.document.on("change:data", propose);
      setEditorDirection(select.value);
    }
    if (body && window.editors && window.editors[body.id]) {
      attach(window.editors[body.id]);
    } else if (body && window.ckeditorRegisterCallback) {
      window.ckeditorRegisterCallback(body.id, attach);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
