/* The writing desk: autosave, the leave warning, the live checklist, post cards, tag
 * suggestions, byline ordering and the headline counter. A static file (the CSP allows no
 * inline script); settings come from data attributes on #desk. Without this script the form
 * still works: buttons save first on the server, cards and checklist are rendered there. */
(function () {
  "use strict";

  var config = document.getElementById("desk");
  var form = document.getElementById("article_form");
  if (!config || !form) return;

  var editable = config.dataset.editable === "1";
  var interval = Math.max(1, parseFloat(config.dataset.interval || "30")) * 1000;
  var statusLine = document.querySelector("[data-desk-autosave-status]");
  var STATUS_URL = /https?:\/\/(?:www\.|mobile\.)?(?:x|twitter)\.com\/([A-Za-z0-9_]{1,15})\/status(?:es)?\/(\d{1,25})/g;

  function csrfToken() {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // One request at a time, in the order they were made: an autosave sent before a save
  // must not land after it (it would offer to "restore" text that is already saved).
  var queue = Promise.resolve();
  var inflight = 0;

  function post(url, data) {
    inflight += 1;
    var run = function () { return send(url, data); };
    var result = queue.then(run, run);
    queue = result.catch(function () {}).then(function () { inflight -= 1; });
    return result;
  }

  function send(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json().then(function (json) {
        return { ok: response.ok, status: response.status, json: json };
      });
    });
  }

  function bodyEditor() {
    return window.editors && window.editors.id_body;
  }

  function bodyHtml() {
    var editor = bodyEditor();
    if (editor) return editor.getData();
    var textarea = form.querySelector("[name=body]");
    return textarea ? textarea.value : "";
  }

  function formData() {
    var data = new FormData(form);
    data.set("body", bodyHtml());
    return data;
  }

  function signature(data) {
    var parts = [];
    data.forEach(function (value, key) {
      if (key !== "csrfmiddlewaretoken" && typeof value === "string") parts.push(key + "=" + value);
    });
    return parts.join("\u0000");
  }

  function say(text) {
    if (statusLine) statusLine.textContent = text;
  }

  // --- Unsaved changes: autosave and the leave warning ----------------------------------

  var baseline = null;          // the form as loaded (or as last saved)
  var lastAutosaved = null;     // the form as last autosaved
  var timer = null;
  var submitting = false;

  function isDirty() {
    return baseline !== null && signature(formData()) !== baseline;
  }

  function autosave() {
    timer = null;
    if (!editable || submitting) return;
    var data = formData();
    var sig = signature(data);
    if (sig === baseline || sig === lastAutosaved) return;
    // Everything the form holds (byline rows and order, corrections, post texts too); the
    // server leaves out the token and the buttons. Chosen files cannot be kept.
    var payload = new FormData();
    data.forEach(function (value, key) {
      if (typeof value === "string" && key !== "csrfmiddlewaretoken") payload.append(key, value);
    });
    payload.set("article", config.dataset.article || "");
    payload.set("loaded_version", data.get("loaded_version") || "");
    post(config.dataset.autosaveUrl, payload).then(function (result) {
      if (result.ok) {
        lastAutosaved = sig;
        say(result.json.message);
        form.dataset.autosavedAt = result.json.saved_at;
      } else {
        say("Autosave failed; your text is still here. Save the article to keep it.");
      }
    }).catch(function () {
      say("Autosave could not reach the server; your text is still here.");
    });
  }

  function noticeEdit() {
    if (!editable || baseline === null) return;
    if (!timer && isDirty()) timer = window.setTimeout(autosave, interval);
  }

  form.addEventListener("input", noticeEdit);
  form.addEventListener("change", noticeEdit);
  form.addEventListener("focusout", function (event) {
    if (!editable || baseline === null) return;
    if (event.target.closest && event.target.closest(".desk-image-panel")) return;
    // Leaving a field for a Save or workflow button: the form is about to be saved anyway.
    var next = event.relatedTarget;
    if (next && next.type === "submit" && next.form === form) return;
    if (isDirty()) {
      if (timer) window.clearTimeout(timer);
      autosave();
    }
  });
  // A save waits for a desk call still on its way (an autosave, the checklist), so the two
  // never race; then the same button is pressed again.
  var released = false;
  form.addEventListener("submit", function (event) {
    if (inflight > 0 && !released && event.submitter) {
      event.preventDefault();
      var submitter = event.submitter;
      queue.then(function () {
        released = true;
        form.requestSubmit(submitter);
      });
      return;
    }
    submitting = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (submitting || !editable || !isDirty()) return;
    event.preventDefault();
    event.returnValue = "";
  });

  // --- The live checklist and the post cards, refreshed when the form changes -----------

  var checklist = document.querySelector("[data-desk-checklist]");
  var tweetsBox = document.querySelector("[data-desk-tweets]");
  var cards = document.querySelector("[data-desk-tweet-cards]");
  var lastChecked = null;
  var asked = {};
  var candidates = {};

  function checkSignature(data) {
    var keys = ["section", "dek", "lead_image", "body"];
    var parts = keys.map(function (k) { return data.get(k) || ""; });
    data.forEach(function (value, key) {
      if (/^bylines-\d+-(author|DELETE)$/.test(key) || key.indexOf("tweet_text-") === 0) {
        parts.push(key + "=" + value);
      }
    });
    return parts.join("\u0000");
  }

  function refreshChecklist(data) {
    if (!checklist) return;
    var payload = new FormData();
    data.forEach(function (value, key) {
      if (typeof value === "string" && key !== "csrfmiddlewaretoken") payload.append(key, value);
    });
    payload.set("article", config.dataset.article || "");
    post(config.dataset.checklistUrl, payload).then(function (result) {
      if (result.ok) checklist.innerHTML = result.json.html;
    }).catch(function () { /* the server-rendered list stays */ });
  }

  function syncCards(html) {
    if (!cards || !editable) return;
    var seen = {};
    var order = [];
    var match;
    STATUS_URL.lastIndex = 0;
    while ((match = STATUS_URL.exec(html)) !== null) {
      if (!seen[match[2]]) { seen[match[2]] = match[0]; order.push(match[2]); }
    }
    cards.querySelectorAll("[data-desk-tweet]").forEach(function (card) {
      card.hidden = !seen[card.dataset.deskTweet];
    });
    var previous = candidates;
    candidates = seen;
    order.forEach(function (id) {
      if (cards.querySelector('[data-desk-tweet="' + id + '"]') || asked[id]) return;
      // Ask only about an address that stayed the same since the last look: a pasted one,
      // or a typed one that is finished (not every half-typed number).
      if (!previous[id]) { window.setTimeout(function () { lastChecked = null; }, 0); return; }
      asked[id] = true;
      var payload = new FormData();
      payload.set("url", seen[id]);
      post(config.dataset.tweetUrl, payload).then(function (result) {
        if (!result.ok) { delete asked[id]; return; }
        var holder = document.createElement("div");
        holder.innerHTML = result.json.html;
        var card = holder.firstElementChild;
        if (card && !cards.querySelector('[data-desk-tweet="' + id + '"]')) cards.appendChild(card);
        lastChecked = null;  // a new card can change the checklist
        tick();
      }).catch(function () { delete asked[id]; });
    });
    if (tweetsBox) tweetsBox.hidden = !order.length;
  }

  function tick() {
    if (submitting || baseline === null) return;
    var data = formData();
    var sig = checkSignature(data);
    if (sig !== lastChecked) {
      lastChecked = sig;
      syncCards(data.get("body") || "");
      refreshChecklist(data);
    }
    noticeEdit();
  }

  // Start once CKEditor has loaded the body (its output is the baseline, not the raw HTML).
  var waited = 0;
  function start() {
    var textarea = form.querySelector("[name=body]");
    if (textarea && !bodyEditor() && waited < 10000) {
      waited += 100;
      window.setTimeout(start, 100);
      return;
    }
    var editor = bodyEditor();
    if (editor) {
      editor.model.document.on("change:data", noticeEdit);
      // CKEditor names its editing area "Rich Text Editor" for screen readers; call it by
      // the field's own name instead.
      var voice = editor.ui.element && editor.ui.element.querySelector(".ck-voice-label");
      if (voice) voice.textContent = "Body";
    }
    var data = formData();
    // A restored autosave is not saved yet: leaving must warn.
    baseline = config.dataset.restoring === "1" ? "" : signature(data);
    // A form sent back with errors shows the checklist of the saved article, not of what
    // the writer sent: the first tick brings it up to date.
    lastChecked = document.querySelector(".errornote") ? null : checkSignature(data);
    form.dataset.deskReady = "1";
    window.setInterval(tick, 1500);
  }
  start();

  // --- Headline: a counter instead of a silent cut ---------------------------------------

  var headline = form.querySelector("input[name=title]");
  if (headline && headline.dataset.limit) {
    var limit = parseInt(headline.dataset.limit, 10);
    var counter = document.createElement("p");
    counter.className = "help desk-counter";
    counter.id = "desk-headline-count";
    counter.setAttribute("aria-live", "polite");
    headline.setAttribute("aria-describedby", ((headline.getAttribute("aria-describedby") || "") + " desk-headline-count").trim());
    headline.insertAdjacentElement("afterend", counter);
    var count = function () {
      var n = headline.value.length;
      counter.textContent = n > limit
        ? n + " characters: " + (n - limit) + " over the limit of " + limit + ". Shorten the headline."
        : n + " / " + limit + " characters";
      counter.classList.toggle("desk-over", n > limit);
    };
    headline.addEventListener("input", count);
    count();
  }

  // --- Tags: suggestions from the tags in use (new ones are fine) ------------------------

  document.querySelectorAll("input.desk-tags").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var pending = null;
    input.addEventListener("input", function () {
      if (pending) window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        var value = input.value;
        var cut = value.lastIndexOf(",");
        var prefix = cut >= 0 ? value.slice(0, cut + 1) + " " : "";
        var term = value.slice(cut + 1).trim();
        if (!term) return;
        fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(term), { credentials: "same-origin" })
          .then(function (r) { return r.json(); })
          .then(function (json) {
            list.textContent = "";
            json.tags.forEach(function (name) {
              var option = document.createElement("option");
              option.value = prefix.replace(/\s+$/, " ") + name;
              list.appendChild(option);
            });
          }).catch(function () {});
      }, 150);
    });
  });

  // --- Bylines: order by arrows or by dragging; positions follow ---------------------------

  var group = document.getElementById("bylines-group");
  function bylineRows() {
    return group ? Array.prototype.filter.call(
      group.querySelectorAll("tr.form-row"), function (row) { return !row.classList.contains("empty-form"); }) : [];
  }
  function renumber() {
    bylineRows().forEach(function (row, index) {
      var position = row.querySelector("input[name$='-position']");
      if (position) position.value = index;
    });
    form.dispatchEvent(new Event("change"));
  }
  function move(row, step) {
    var rows = bylineRows();
    var index = rows.indexOf(row);
    var target = rows[index + step];
    if (!target) return;
    if (step < 0) target.before(row); else target.after(row);
    renumber();
  }
  function equip(row) {
    if (!row || row.classList.contains("empty-form") || row.dataset.deskEquipped) return;
    row.dataset.deskEquipped = "1";
    row.draggable = true;
    var position = row.querySelector("input[name$='-position']");
    if (!position) return;
    position.type = "hidden";
    var who = function () {
      var chosen = row.querySelector("select[name$='-author'] option:checked");
      return chosen && chosen.value ? chosen.textContent : "this author";
    };
    // Django's tabular inline leaves its delete box without a label.
    var remove = row.querySelector("input[name$='-DELETE']");
    if (remove) remove.setAttribute("aria-label", "Remove " + who() + " from the byline");
    [["↑", -1, "Move up"], ["↓", 1, "Move down"]].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button desk-move";
      button.textContent = spec[0];
      button.addEventListener("click", function () {
        move(row, spec[1]);
        button.focus();
      });
      button.addEventListener("focus", function () { button.setAttribute("aria-label", spec[2] + ": " + who()); });
      button.setAttribute("aria-label", spec[2]);
      position.parentNode.appendChild(button);
    });
  }
  // Rows come in the order of their positions (a restored autosave binds them in the order
  // they were first made), so what the journalist sees is the byline that will be saved.
  function sortByPosition() {
    var rows = bylineRows();
    var at = function (row) {
      var input = row.querySelector("input[name$='-position']");
      var n = input ? parseInt(input.value, 10) : NaN;
      return isNaN(n) ? Infinity : n;
    };
    var sorted = rows.slice().sort(function (a, b) { return at(a) - at(b) || rows.indexOf(a) - rows.indexOf(b); });
    if (!sorted.length || sorted.every(function (row, i) { return row === rows[i]; })) return;
    var anchor = rows[0];
    sorted.forEach(function (row) { anchor.parentNode.insertBefore(row, null); });
    // Keep the template row (and anything else after the rows) at the end.
    var template = group.querySelector("tr.empty-form");
    if (template) template.parentNode.appendChild(template);
  }
  if (group) {
    sortByPosition();
    bylineRows().forEach(equip);
    document.addEventListener("formset:added", function (event) {
      if (event.detail && event.detail.formsetName === "bylines") { equip(event.target); renumber(); }
    });
    var dragged = null;
    group.addEventListener("dragstart", function (event) {
      dragged = event.target.closest && event.target.closest("tr.form-row");
      if (event.dataTransfer) event.dataTransfer.effectAllowed = "move";
    });
    group.addEventListener("dragover", function (event) {
      if (dragged) event.preventDefault();
    });
    group.addEventListener("drop", function (event) {
      var target = event.target.closest && event.target.closest("tr.form-row");
      if (!dragged || !target || target === dragged || target.classList.contains("empty-form")) return;
      event.preventDefault();
      var rows = bylineRows();
      if (rows.indexOf(dragged) < rows.indexOf(target)) target.after(dragged); else target.before(dragged);
      dragged = null;
      renumber();
    });
  }
})();
