// The request form's wanted deliverables: rows are added from a <template> and removed
// in place. Rows are numbered items-0, items-1, …: after a removal they are renumbered,
// so the formset and the feasibility fragment read every row that is shown.
(function () {
  "use strict";

  const form = document.getElementById("request-form");
  if (!form) return;
  const rows = document.getElementById("item-rows");
  const total = form.querySelector("[name=items-TOTAL_FORMS]");
  const template = document.getElementById("item-row-template");

  function renumber() {
    rows.querySelectorAll("tr.item-row").forEach(function (row, index) {
      row.querySelectorAll("[name], [id], label[for]").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          const value = el.getAttribute(attr);
          if (value) el.setAttribute(attr, value.replace(/items-(\d+|__prefix__)-/, "items-" + index + "-"));
        });
      });
    });
    total.value = rows.querySelectorAll("tr.item-row").length;
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }

  document.getElementById("add-item").addEventListener("click", function () {
    rows.appendChild(template.content.cloneNode(true));
    renumber();
    rows.querySelector("tr.item-row:last-child select").focus();
  });
  rows.addEventListener("click", function (event) {
    const button = event.target.closest("[data-remove-item]");
    if (!button || rows.querySelectorAll("tr.item-row").length === 1) return;
    button.closest("tr.item-row").remove();
    renumber();
  });
})();
