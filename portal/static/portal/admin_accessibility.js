/* Accessibility fixes for parts of the Wagtail admin we do not own.
 *
 * - Draftail rich-text editors (role="textbox") get no accessible name: name them
 *   after their field's label.
 * - The editor's minimap is a scrollable list that cannot be reached by keyboard:
 *   make it focusable.
 * - The date picker's arrow buttons (month, today, times) have no text: name them.
 * - The avatar of another editor on the same page is a button with only an image
 *   without text: name it after its tooltip (the name and "Tittar just nu").
 * - The block chooser's preview buttons sit inside its listbox, where ARIA allows only
 *   options (axe: aria-required-children, critical): they leave the accessibility tree
 *   and the tab order, and the preview follows the highlighted block instead, whether
 *   it is reached with the arrow keys, a search or the pointer.
 * All are created by JavaScript after load, so a MutationObserver re-applies them.
 *
 * - The date pickers of the scheduling dialog open over the fields and the "Spara
 *   schema" button below their input: while one is open its field keeps room for it.
 */
(function () {
  "use strict";
  var counter = 0;
  var stringsElement = document.getElementById("portal-accessibility-strings");
  var strings = stringsElement ? JSON.parse(stringsElement.textContent) : {};

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

  var DATE_PICKER_BUTTONS = [
    [".xdsoft_monthpicker > .xdsoft_prev", "previousMonth"],
    [".xdsoft_monthpicker > .xdsoft_next", "nextMonth"],
    [".xdsoft_monthpicker > .xdsoft_today_button", "today"],
    [".xdsoft_timepicker > .xdsoft_prev", "earlierTimes"],
    [".xdsoft_timepicker > .xdsoft_next", "laterTimes"],
  ];

  function nameDatePickerButtons(root) {
    DATE_PICKER_BUTTONS.forEach(function (entry) {
      if (!strings[entry[1]]) return;
      root
        .querySelectorAll(".xdsoft_datetimepicker " + entry[0] + ":not([aria-label])")
        .forEach(function (button) {
          button.setAttribute("aria-label", strings[entry[1]]);
        });
    });
  }

  function nameOtherEditorsAvatars(root) {
    root
      .querySelectorAll("button.w-editing-sessions__session:not([aria-label])")
      .forEach(function (button) {
        // Wagtail's tooltip moves the popup out of the button into its tippy instance.
        var tooltip =
          button.querySelector(".w-editing-sessions__popup") ||
          (button._tippy && button._tippy.props.content);
        var text = tooltip && (tooltip.textContent || String(tooltip));
        text = text && text.replace(/\s+/g, " ").trim();
        if (text) button.setAttribute("aria-label", text);
      });
  }

  function hidePreviewButtonsInListboxes(root) {
    root
      .querySelectorAll('[role="listbox"] button.w-combobox__option-preview:not([aria-hidden])')
      .forEach(function (button) {
        button.setAttribute("aria-hidden", "true");
        button.setAttribute("tabindex", "-1");
      });
  }

  function previewHighlightedBlock(option) {
    if (option.getAttribute("aria-selected") !== "true") return;
    var row = option.closest(".w-combobox__option-row");
    var button = row && row.querySelector("button.w-combobox__option-preview");
    if (button && button.getAttribute("aria-expanded") !== "true") button.click();
  }

  new MutationObserver(function (records) {
    records.forEach(function (record) {
      if (record.target.matches(".w-combobox__option")) previewHighlightedBlock(record.target);
    });
  }).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ["aria-selected"],
    subtree: true,
  });

  // Date pickers in dialogs. The picker is positioned over the dialog; the field under
  // its input gets a bottom margin of the picker's height while it is open. A picker
  // closes on the pointer going down anywhere else: its room goes only once the pointer
  // is up again, so the click still lands on the button it was aimed at.
  var pointerIsDown = false;

  function pickerField(picker) {
    var input = window.jQuery && window.jQuery(picker).data("input");
    return input && input[0] ? input[0].closest("[data-field-wrapper]") : null;
  }

  function isOpen(picker) {
    return window.getComputedStyle(picker).display !== "none";
  }

  function repositionPickers() {
    // The picker places itself again on a window resize (the dialog's box has moved).
    window.dispatchEvent(new Event("resize"));
  }

  function releasePickerRoom() {
    var changed = false;
    document.querySelectorAll("[data-portal-picker-room]").forEach(function (field) {
      if (field.portalPicker && isOpen(field.portalPicker)) return;
      field.style.marginBottom = "";
      field.removeAttribute("data-portal-picker-room");
      changed = true;
    });
    if (changed) repositionPickers();
  }

  function pickerToggled(picker) {
    var field = pickerField(picker);
    if (!field) return;
    if (isOpen(picker)) {
      field.portalPicker = picker;
      field.setAttribute("data-portal-picker-room", "");
      field.style.marginBottom = picker.offsetHeight + 16 + "px";
      repositionPickers();
    } else if (!pointerIsDown) {
      releasePickerRoom();
    }
  }

  var pickerObserver = new MutationObserver(function (records) {
    records.forEach(function (record) {
      pickerToggled(record.target);
    });
  });

  function watchDialogDatePickers(root) {
    root
      .querySelectorAll(".w-dialog .xdsoft_datetimepicker:not([data-portal-watched])")
      .forEach(function (picker) {
        picker.setAttribute("data-portal-watched", "");
        pickerObserver.observe(picker, { attributes: true, attributeFilter: ["style"] });
      });
  }

  document.addEventListener(
    "pointerdown",
    function () {
      pointerIsDown = true;
    },
    true,
  );
  ["pointerup", "pointercancel"].forEach(function (type) {
    document.addEventListener(
      type,
      function () {
        pointerIsDown = false;
        // After this pointer's click has been dispatched.
        window.setTimeout(releasePickerRoom, 0);
      },
      true,
    );
  });

  function apply() {
    nameRichTextEditors(document);
    focusableMinimap(document);
    nameDatePickerButtons(document);
    nameOtherEditorsAvatars(document);
    watchDialogDatePickers(document);
    hidePreviewButtonsInListboxes(document);
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
