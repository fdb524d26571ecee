/*
 * Kyodo (共同) — progressive enhancement only. Every page works without it.
 *
 * 1. Keyboard shortcuts declared in markup:
 *      <input type="search" data-shortcut="/">     press "/" to focus it
 *      <a href="..." data-shortcut="alt+s">         press Alt+S to focus it
 *    Plain-key shortcuts are ignored while the user is typing in a field
 *    (or composing with an IME); Alt+<key> shortcuts work everywhere.
 *    An element whose shortcut matches is focused (a <label> focuses its
 *    control; a non-focusable wrapper focuses its first focusable child).
 * 2. Escape in a search input clears it.
 *
 * No dependencies, no network access, nothing else.
 */
(function () {
  "use strict";

  var NON_TEXT_INPUT_TYPES = [
    "button", "checkbox", "color", "file", "hidden", "image",
    "radio", "range", "reset", "submit"
  ];
  var FOCUSABLE =
    "a[href], button, input:not([type=hidden]), select, textarea, " +
    "[tabindex]:not([tabindex='-1']), [contenteditable='true']";

  function isTypingTarget(el) {
    if (!el || el.nodeType !== 1) return false;
    if (el.isContentEditable) return true;
    var tag = el.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag === "INPUT") {
      return NON_TEXT_INPUT_TYPES.indexOf((el.type || "text").toLowerCase()) === -1;
    }
    return false;
  }

  function isSearchInput(el) {
    return !!el && el.tagName === "INPUT" &&
      ((el.type || "").toLowerCase() === "search" ||
       el.getAttribute("role") === "searchbox");
  }

  // "alt+s" -> { alt: true, key: "s" };  "/" -> { alt: false, key: "/" }
  function parseShortcut(spec) {
    var s = String(spec || "").trim();
    var alt = false;
    if (/^alt\+./i.test(s)) {
      alt = true;
      s = s.slice(4);
    }
    return s ? { alt: alt, key: s } : null;
  }

  function keyMatches(wanted, event) {
    var key = event.key;
    if (!event.altKey) return key === wanted;
    // With Alt held, event.key can be a different character (macOS Option
    // layer: Alt+S gives "ß"), so fall back to the physical key code.
    if (key && key.toLowerCase() === wanted.toLowerCase()) return true;
    var w = wanted.toUpperCase();
    if (/^[A-Z]$/.test(w)) return event.code === "Key" + w;
    if (/^[0-9]$/.test(w)) return event.code === "Digit" + w;
    return false;
  }

  function isUsable(el) {
    return !el.disabled && el.getClientRects().length > 0;
  }

  function focusTarget(el) {
    if (el.tagName === "LABEL" && el.control) return el.control;
    if (el.matches(FOCUSABLE)) return el;
    return el.querySelector(FOCUSABLE);
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.isComposing || event.keyCode === 229) {
      return; // IME composition (日本語入力) in progress
    }
    var target = event.target;

    if (event.key === "Escape" || event.key === "Esc") {
      if (isSearchInput(target) && target.value !== "") {
        target.value = "";
        target.dispatchEvent(new Event("input", { bubbles: true }));
        event.preventDefault();
      }
      return;
    }

    if (event.ctrlKey || event.metaKey) return;
    if (!event.altKey && isTypingTarget(target)) return;

    var candidates = document.querySelectorAll("[data-shortcut]");
    for (var i = 0; i < candidates.length; i++) {
      var el = candidates[i];
      var spec = parseShortcut(el.getAttribute("data-shortcut"));
      if (!spec || spec.alt !== event.altKey || !keyMatches(spec.key, event)) continue;
      var focusable = focusTarget(el);
      if (!focusable || !isUsable(focusable)) continue;
      event.preventDefault(); // keep "/" out of the field, suppress Alt menus
      focusable.focus();
      return;
    }
  });
})();
