/* Enhancements only: the portal works without JavaScript. */
(function () {
  "use strict";

  // "Copy link" under a page's facts: puts the page's address on the clipboard and says
  // so in the button for a moment (the stylesheet shows the button only with scripting).
  var copyButtons = document.querySelectorAll("[data-copy]");
  Array.prototype.forEach.call(copyButtons, function (button) {
    var label = button.textContent;
    button.addEventListener("click", function () {
      if (!navigator.clipboard) return;
      navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
        button.textContent = button.getAttribute("data-copied");
        window.setTimeout(function () { button.textContent = label; }, 3000);
      });
    });
  });

  // On narrow screens the main menu folds behind a "Menu" button. The stylesheet
  // folds it from the first paint; this only opens and closes it, so a late script
  // moves nothing on the page.
  var toggle = document.querySelector(".menu-toggle");
  var nav = document.getElementById("site-nav");
  var header = document.querySelector(".site-header");
  if (!toggle || !nav || !header) return;
  // Only browsers without the `scripting` media feature need the stylesheet told; the
  // others would restyle the header for nothing.
  if (!window.matchMedia || !window.matchMedia("(scripting: enabled)").matches) {
    header.classList.add("has-menu-script");
  }

  function setOpen(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("is-open", open);
  }

  function folded() {
    return toggle.offsetParent !== null;
  }

  toggle.addEventListener("click", function () {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && folded() && toggle.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      toggle.focus();
    }
  });
})();
