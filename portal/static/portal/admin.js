/*
 * Editor help for translators (page and snippet edit views).
 *
 * - Every translated text field (<name>_en) gets a "Copy from Swedish" button that
 *   fills it with the Swedish field's text as a starting point; rich text too.
 * - wagtail-modeltranslation's StreamField copy buttons are relabelled the same way,
 *   kept only on the translations (copying over the Swedish source is never offered),
 *   and ask before replacing blocks that are already there.
 * - The language picker's toggles say whether they are on (aria-pressed).
 */
(() => {
  "use strict";

  const stringsElement = document.getElementById("portal-translation-strings");
  if (!stringsElement) return;
  const strings = JSON.parse(stringsElement.textContent);
  const source = strings.source;
  const targets = strings.targets;

  function fieldLanguage(name) {
    const match = /_([a-z]{2}(?:_[a-z]+)?)$/.exec(name || "");
    return match ? match[1] : null;
  }

  function counterpart(input, language) {
    const name = input.name.slice(0, -(fieldLanguage(input.name).length + 1)) + "_" + language;
    const scope = input.form || document;
    return scope.querySelector(`[name="${CSS.escape(name)}"]`);
  }

  function isRichText(input) {
    return input.hasAttribute("data-draftail-input");
  }

  function hasText(input) {
    if (isRichText(input)) {
      try {
        const raw = JSON.parse(input.value || "null");
        return Boolean(raw && raw.blocks && raw.blocks.some((block) => block.text.trim()));
      } catch {
        return Boolean(input.value);
      }
    }
    return input.value.trim() !== "";
  }

  function fieldLabel(input) {
    const label = input.id && document.querySelector(`label[for="${CSS.escape(input.id)}"]`);
    return label ? label.textContent.replace(/\s+/g, " ").replace("*", "").trim() : input.name;
  }

  function announce(input) {
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function copyRichText(from, to) {
    const DraftJS = window.DraftJS;
    const editor = to.draftailEditor;
    if (!DraftJS || !editor) return false;
    const raw = JSON.parse(from.value || "null");
    const content = raw
      ? DraftJS.convertFromRaw(raw)
      : DraftJS.ContentState.createFromText("");
    editor.onChange(DraftJS.EditorState.createWithContent(content));
    return true;
  }

  function copyField(from, to) {
    if (hasText(to) && !window.confirm(strings.confirmReplace)) return;
    if (isRichText(to)) {
      if (!copyRichText(from, to)) return;
    } else {
      to.value = from.value;
      announce(to);
      to.focus();
    }
  }

  function addFieldButton(input) {
    if (input.dataset.portalCopy) return;
    const language = fieldLanguage(input.name);
    if (!targets.includes(language)) return;
    const from = counterpart(input, source);
    if (!from) return;
    // Rich text needs its editor; it appears right after the hidden input.
    if (isRichText(input) && !window.DraftJS) return;
    input.dataset.portalCopy = "1";

    const button = document.createElement("button");
    button.type = "button";
    button.className = "button button-small button-secondary portal-copy-source";
    button.textContent = strings.copyFrom;
    button.setAttribute("aria-label", `${strings.copyFrom}: ${fieldLabel(input)}`);
    button.addEventListener("click", () => copyField(from, input));

    const wrapper = input.closest(".w-field__input") || input.parentElement;
    wrapper.insertAdjacentElement("afterend", button);
  }

  function streamHasBlocks(fieldName) {
    const form = document.querySelector("form[data-edit-form]") || document;
    return Array.from(form.querySelectorAll(`[name^="${CSS.escape(fieldName)}-"][name$="-deleted"]`))
      .some((input) => /^[^-]+-\d+-deleted$/.test(input.name) && input.value !== "1");
  }

  function adjustStreamCopyButtons() {
    document.querySelectorAll(".translation-field-copy-wrapper:not([data-portal-adjusted])")
      .forEach((wrapper) => {
        wrapper.dataset.portalAdjusted = "1";
        const section = wrapper.closest("section.w-panel");
        const match = section && /^panel-child-[^-]+-(.+)-section$/.exec(section.id);
        const fieldName = match ? match[1] : "";
        const language = fieldLanguage(fieldName);
        if (!targets.includes(language)) {
          wrapper.hidden = true; // never offer to overwrite the source text
          return;
        }
        wrapper.childNodes.forEach((node) => {
          if (node.nodeType === Node.TEXT_NODE) node.textContent = "";
        });
        const heading = section.querySelector(".w-panel__heading");
        const headingText = heading ? heading.textContent.replace(/\s+/g, " ").trim() : fieldName;
        wrapper.querySelectorAll("button.translation-field-copy").forEach((button) => {
          if (button.textContent.trim() !== source) {
            button.hidden = true;
            return;
          }
          button.type = "button";
          button.textContent = strings.copyFrom;
          button.classList.add("button-small", "portal-copy-source");
          button.setAttribute("aria-label", `${strings.copyFrom}: ${headingText}`);
        });
        // Capture phase on the wrapper runs before the package's own click handler.
        wrapper.addEventListener(
          "click",
          (event) => {
            if (!event.target.closest("button.translation-field-copy")) return;
            if (streamHasBlocks(fieldName) && !window.confirm(strings.confirmReplace)) {
              event.preventDefault();
              event.stopImmediatePropagation();
            }
          },
          true,
        );
      });
  }

  function syncLocaleToggles() {
    document.querySelectorAll("button.locale-toggle").forEach((toggle) => {
      toggle.setAttribute("aria-pressed", String(toggle.classList.contains("showing-locale")));
    });
  }

  function scan() {
    const selector = targets
      .map((code) =>
        [
          `input[type="text"][name$="_${code}"]`,
          `input:not([type])[name$="_${code}"]`,
          `textarea[name$="_${code}"]`,
          `input[type="hidden"][data-draftail-input][name$="_${code}"]`,
        ].join(","),
      )
      .join(",");
    document.querySelectorAll(selector).forEach(addFieldButton);
    adjustStreamCopyButtons();
    syncLocaleToggles();
  }

  function start() {
    scan();
    let pending = null;
    const observer = new MutationObserver(() => {
      // New inline forms, re-rendered StreamFields, editors that finished loading.
      if (pending) return;
      pending = window.requestAnimationFrame(() => {
        pending = null;
        scan();
      });
    });
    observer.observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["class"],
    });
  }

  if (window.jQuery) {
    // After wagtail-modeltranslation's own ready handlers have built their buttons.
    window.jQuery(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
