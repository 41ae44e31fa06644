// Quick exit: the button and the Esc key replace this page with a neutral site, so Back does not return here.
(function () {
  "use strict";
  var target = document.body.getAttribute("data-exit-url") || "https://www.bbc.com/weather";
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.style.visibility = "hidden";
    document.title = "";
    window.location.replace(target);
  }
  var button = document.getElementById("quick-exit");
  if (button) { button.addEventListener("click", leave); }
  document.addEventListener("keydown", function (event) {
    // Esc while an input method is composing a word (Chinese, Japanese, Korean…) cancels the word, not the page.
    if (event.isComposing || event.keyCode === 229) { return; }
    if (event.key === "Escape" || event.key === "Esc") { leave(event); }
  });
})();
