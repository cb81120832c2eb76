/* Names for the admin's search boxes (select2, drawn by Django's autocomplete widget).
 *
 * select2 hides the real <select> and draws its own combobox, whose only name is the text it
 * shows: empty when nothing is chosen, and its value box (role "textbox") and search fields
 * have none at all, so a screen reader announces "edit text" with no label (axe:
 * aria-input-field-name). Here each drawn part is tied to the field's visible label (the
 * <label for>, or the column heading in a tabular inline): the combobox reads "label, value",
 * the value box and the search fields read the label. The open combobox also gets the
 * aria-controls ARIA 1.2 asks for.
 *
 * select2 draws its parts when the page starts, again for each inline row added, and the
 * search field of the drop-down each time it opens; a MutationObserver names whatever
 * appears, so nothing depends on select2's events or on timing. A static file: the CSP
 * allows no inline script. */
(function () {
  "use strict";

  var counter = 0;

  function ensureId(element, hint) {
    if (!element.id) {
      counter += 1;
      element.id = (hint || "desk-label") + "-" + counter;
    }
    return element.id;
  }

  function setIfChanged(element, name, value) {
    if (element && element.getAttribute(name) !== value) element.setAttribute(name, value);
  }

  // The element whose text names this <select>: its <label>, or its column's heading.
  function labelFor(select) {
    if (select.id) {
      var label = document.querySelector('label[for="' + select.id + '"]');
      if (label && label.textContent.trim()) return label;
    }
    var cell = select.closest("td");
    var table = cell && cell.closest("table");
    if (table) {
      var field = Array.prototype.find.call(cell.classList, function (name) {
        return name.indexOf("field-") === 0;
      });
      var heading = field && table.querySelector("thead th.column-" + field.slice(6));
      if (heading && heading.textContent.trim()) return heading;
    }
    return null;
  }

  function nameBox(select) {
    var container = select.nextElementSibling;
    if (!container || !container.classList.contains("select2")) return;
    var label = labelFor(select);
    var selection = container.querySelector(".select2-selection");
    if (!selection) return;
    var rendered = selection.querySelector(".select2-selection__rendered");
    var inline = selection.querySelector(".select2-search__field");
    if (!label) {
      // No visible label to point at: the <select>'s own name, if the page gave one.
      var own = select.getAttribute("aria-label");
      if (own) {
        setIfChanged(selection, "aria-label", own);
        if (rendered) setIfChanged(rendered, "aria-label", own);
        if (inline) setIfChanged(inline, "aria-label", own);
      }
      return;
    }
    // Open, select2 points at its list of choices with aria-owns only; ARIA 1.2 wants an
    // expanded combobox to name it with aria-controls.
    var owns = selection.getAttribute("aria-owns");
    if (owns) setIfChanged(selection, "aria-controls", owns);
    else if (selection.hasAttribute("aria-controls")) selection.removeAttribute("aria-controls");
    var labelId = ensureId(label, (select.id || "desk-autocomplete") + "-label");
    if (rendered && rendered.id) {
      setIfChanged(selection, "aria-labelledby", labelId + " " + rendered.id);
      setIfChanged(rendered, "aria-labelledby", labelId);
    } else {
      setIfChanged(selection, "aria-labelledby", labelId);
    }
    // A multiple choice searches in place, inside the box.
    if (inline) setIfChanged(inline, "aria-labelledby", labelId);
  }

  // The drop-down's search field lives at the end of <body>; aria-controls names the box
  // ("select2-<select id>-results") it searches for.
  function nameSearch(field) {
    var controls = field.getAttribute("aria-controls") || "";
    var match = /^select2-(.+)-results$/.exec(controls);
    var select = match && document.getElementById(match[1]);
    var label = select && labelFor(select);
    var text = label ? label.textContent.replace(/\s+/g, " ").trim().replace(/:$/, "") : "";
    setIfChanged(field, "aria-label", text ? "Search: " + text : "Search");
  }

  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(nameBox);
    document.querySelectorAll(".select2-dropdown .select2-search__field").forEach(nameSearch);
  }

  // Observer callbacks run after the task that changed the page, so select2 has finished
  // drawing; the names set here are not watched, so this never calls itself.
  new MutationObserver(nameAll).observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["aria-controls", "aria-owns"]
  });
  document.addEventListener("DOMContentLoaded", nameAll);
  nameAll();
})();
