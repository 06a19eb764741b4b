// The project page's plan editor: Cancel closes the editor in place instead of leaving
// the page, and the editor comes into view when a form loads into it.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    const close = event.target.closest("#plan-editor .editor-close");
    if (!close) return;
    event.preventDefault();
    document.getElementById("plan-editor").replaceChildren();
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    const editor = document.getElementById("plan-editor");
    if (editor && event.detail.target === editor && editor.firstElementChild) {
      editor.scrollIntoView({ block: "nearest" });
      const first = editor.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    }
  });
})();
