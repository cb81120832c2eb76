// "Load original post": fetch X's widget for one post, only after the reader asks for it.
// Without JavaScript the buttons stay hidden and the stored snapshot is all there is.
(function () {
  "use strict";
  var WIDGET = "https://platform.twitter.com/widgets.js";
  var loading = null;

  function loadWidget() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = WIDGET;
        script.async = true;
        script.onload = function () { resolve(window.twttr); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  document.querySelectorAll("button.tweet-load").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var figure = button.closest("figure");
      button.disabled = true;
      button.textContent = "Loading…";
      loadWidget().then(function (twttr) {
        if (!twttr || !twttr.widgets) { throw new Error("widget unavailable"); }
        var holder = document.createElement("div");
        figure.appendChild(holder);
        return twttr.widgets.createTweet(button.dataset.tweetId, holder);
      }).then(function () {
        button.remove();
      }).catch(function () {
        loading = null;
        button.disabled = false;
        button.textContent = "Could not load the original post; try again";
      });
    });
  });
})();
