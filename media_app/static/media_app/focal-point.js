// Click the picture to set the focal point (the admin's image change page).
// A static file with no inline handlers, so it runs under the strict nonce CSP.
(function () {
  "use strict";

  function clamp(value) {
    return Math.min(1, Math.max(0, value));
  }

  function setUp(picker) {
    var img = picker.querySelector("img");
    var marker = picker.querySelector(".focal-marker");
    var inputX = document.getElementById(picker.dataset.xInput);
    var inputY = document.getElementById(picker.dataset.yInput);
    if (!img || !marker || !inputX || !inputY) {
      return;
    }

    function place() {
      marker.style.left = (clamp(parseFloat(inputX.value) || 0) * 100).toFixed(2) + "%";
      marker.style.top = (clamp(parseFloat(inputY.value) || 0) * 100).toFixed(2) + "%";
      marker.hidden = false;
    }

    img.addEventListener("click", function (event) {
      var box = img.getBoundingClientRect();
      inputX.value = clamp((event.clientX - box.left) / box.width).toFixed(3);
      inputY.value = clamp((event.clientY - box.top) / box.height).toFixed(3);
      inputX.dispatchEvent(new Event("change", { bubbles: true }));
      inputY.dispatchEvent(new Event("change", { bubbles: true }));
      place();
    });
    inputX.addEventListener("input", place);
    inputY.addEventListener("input", place);
    picker.classList.add("is-ready");
    place();
  }

  function init() {
    document.querySelectorAll("[data-focal-picker]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
