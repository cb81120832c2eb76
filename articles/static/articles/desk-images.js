/* The picture chooser (lead and social image): search the library's grid, or upload in
 * place through the library's policy; the chosen picture shows as a card. A static file
 * (no inline script under the CSP); every control is a real button or input. */
(function () {
  "use strict";

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function setup(root) {
    var value = root.querySelector("[data-desk-image-value]");
    var chosen = root.querySelector("[data-desk-image-chosen]");
    var open = root.querySelector("[data-desk-image-open]");
    var clear = root.querySelector("[data-desk-image-clear]");
    var panel = root.querySelector("[data-desk-image-panel]");
    var search = root.querySelector("[data-desk-image-search]");
    var grid = root.querySelector("[data-desk-image-grid]");
    var status = root.querySelector("[data-desk-image-status]");
    var error = root.querySelector("[data-desk-image-error]");
    var send = root.querySelector("[data-desk-image-send]");
    var pending = null;
    var loaded = false;

    function use(id, html) {
      value.value = id;
      chosen.innerHTML = html;
      clear.hidden = false;
      open.textContent = "Change picture";
      value.dispatchEvent(new Event("change", { bubbles: true }));
      close();
      open.focus();
    }

    function close() {
      panel.hidden = true;
      open.setAttribute("aria-expanded", "false");
    }

    function load() {
      var url = root.dataset.searchUrl + "?q=" + encodeURIComponent(search.value.trim());
      status.textContent = "Searching…";
      fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (json) {
          grid.innerHTML = json.html;
          status.textContent = json.count === 1 ? "1 picture." : json.count + " pictures.";
        })
        .catch(function () { status.textContent = "The library could not be searched."; });
    }

    open.addEventListener("click", function () {
      var opening = panel.hidden;
      panel.hidden = !opening;
      open.setAttribute("aria-expanded", String(opening));
      if (opening) {
        if (!loaded) { loaded = true; load(); }
        search.focus();
      }
    });

    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { close(); open.focus(); }
      // Enter in the search box searches; it must not submit the article.
      if (event.key === "Enter" && event.target.tagName === "INPUT" && event.target.type !== "file") {
        event.preventDefault();
        if (event.target === search) load();
      }
    });

    search.addEventListener("input", function () {
      if (pending) window.clearTimeout(pending);
      pending = window.setTimeout(load, 250);
    });

    grid.addEventListener("click", function (event) {
      var button = event.target.closest("[data-desk-image-pick]");
      if (!button) return;
      var id = button.dataset.deskImagePick;
      fetch(root.dataset.cardUrl.replace(/0\/$/, id + "/"), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (json) { use(json.id, json.html); });
    });

    clear.addEventListener("click", function () {
      value.value = "";
      chosen.innerHTML = '<p class="desk-image-none">No picture chosen.</p>';
      clear.hidden = true;
      open.textContent = "Choose picture";
      value.dispatchEvent(new Event("change", { bubbles: true }));
      open.focus();
    });

    send.addEventListener("click", function () {
      var data = new FormData();
      root.querySelectorAll(".desk-image-upload [data-field]").forEach(function (field) {
        if (field.type === "file") {
          if (field.files[0]) data.set("file", field.files[0]);
        } else {
          data.set(field.dataset.field, field.value);
        }
      });
      error.hidden = true;
      send.disabled = true;
      send.textContent = "Uploading…";
      fetch(root.dataset.uploadUrl, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() }
      }).then(function (response) {
        return response.json().then(function (json) { return { ok: response.ok, json: json }; });
      }).then(function (result) {
        if (result.ok) {
          root.querySelectorAll(".desk-image-upload [data-field]").forEach(function (field) {
            if (field.tagName !== "SELECT") field.value = "";
          });
          loaded = false;
          use(result.json.id, result.json.html);
        } else {
          error.textContent = result.json.error || "The picture was not accepted.";
          error.hidden = false;
        }
      }).catch(function () {
        error.textContent = "The upload did not reach the server; try again.";
        error.hidden = false;
      }).then(function () {
        send.disabled = false;
        send.textContent = "Upload and use";
      });
    });
  }

  document.querySelectorAll("[data-desk-image]").forEach(setup);
})();
