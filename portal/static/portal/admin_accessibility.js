/* Accessibility fixes for parts of the Wagtail admin we do not own.
 *
 * - Draftail rich-text editors (role="textbox") get no accessible name: name them
 *   after their field's label.
 * - The editor's minimap is a scrollable list that cannot be reached by keyboard:
 *   make it focusable.
 * Both are created by JavaScript after load, so a MutationObserver re-applies them.
 */
(function () {
  "use strict";
  var counter = 0;

  function nameRichTextEditors(root) {
    root.querySelectorAll('[contenteditable="true"][role="textbox"]').forEach(function (box) {
      if (box.hasAttribute("aria-label") || box.hasAttribute("aria-labelledby")) return;
      var field = box.closest(".w-field, [data-field]");
      var label = field && field.querySelector("label, .w-field__label");
      if (label) {
        if (!label.id) label.id = "portal-rich-text-label-" + ++counter;
        box.setAttribute("aria-labelledby", label.id);
      } else {
        var block = box.closest("[data-contentpath]");
        var title = block && block.querySelector(".c-sf-block__type, .w-panel__heading");
        box.setAttribute("aria-label", title ? title.textContent.trim() : document.title);
      }
    });
  }

  function focusableMinimap(root) {
    root.querySelectorAll(".w-minimap__list:not([tabindex])").forEach(function (list) {
      list.setAttribute("tabindex", "0");
    });
  }

  function apply() {
    nameRichTextEditors(document);
    focusableMinimap(document);
  }

  var scheduled = false;
  new MutationObserver(function () {
    if (scheduled) return;
    scheduled = true;
    window.requestAnimationFrame(function () {
      scheduled = false;
      apply();
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", apply);
  apply();
})();
