// Bars moved by hand, as the team schedule (schedule.js) and a project's timeline
// (timeline.js) move them; each page loads this file before its own script. A drag runs
// from pointer press to release and the click that ends it is not a click; Alt+←/→ moves
// the focused bar a day and Alt+Shift+←/→ changes its last day.
window.callsheetDrag = (function () {
  "use strict";

  const DAY_MS = 86400000;
  let suppressClick = false;

  function addDays(iso, days) {
    const date = new Date(iso + "T00:00:00Z");
    return new Date(date.getTime() + days * DAY_MS).toISOString().slice(0, 10);
  }

  // The click that follows a drag which changed something is swallowed.
  function swallowNextClick() {
    suppressClick = true;
  }

  window.addEventListener("click", function (event) {
    if (!suppressClick) return;
    suppressClick = false;
    event.preventDefault();
    event.stopPropagation();
  }, true);

  // `panel()` is marked busy while `request()` runs; the answer may have swapped the
  // panel for a new one, so the one to unmark is looked up again.
  function whileBusy(panel, request) {
    panel().classList.add("is-busy");
    return request().finally(function () {
      const current = panel();
      if (current) current.classList.remove("is-busy");
    });
  }

  // A press of the main button gives `begin(event)` the chance to start a drag: it
  // returns the drag's state, or nothing. The state then goes to `move(drag, event)` as
  // the pointer moves, and to `finish(drag)` on release or `cancel(drag)` when the
  // browser takes the pointer away. The browser's own dragging is refused on what
  // `holds(element)` says the page moves itself.
  function follow({ begin, move, finish, cancel, holds }) {
    let drag = null;

    document.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      const started = begin(event);
      if (started) drag = started;
    });

    document.addEventListener("pointermove", function (event) {
      if (drag) move(drag, event);
    });

    document.addEventListener("pointerup", function () {
      if (!drag) return;
      try {
        finish(drag);
      } finally {
        drag = null;
      }
    });

    document.addEventListener("pointercancel", function () {
      if (drag) cancel(drag);
      drag = null;
    });

    document.addEventListener("dragstart", function (event) {
      if (holds(event.target)) event.preventDefault();
    });
  }

  // Alt+←/→ and Alt+Shift+←/→ on the bar `find(element)` gives for the focused element:
  // `shift(bar, change)` gets the bar's new first and last day, the step (-1 or 1) and
  // whether only the last day moves. A last day before the first is not asked for.
  function arrowKeys(find, shift) {
    document.addEventListener("keydown", function (event) {
      const bar = find(event.target);
      if (!bar || !event.altKey || (event.key !== "ArrowLeft" && event.key !== "ArrowRight")) return;
      event.preventDefault();
      const step = event.key === "ArrowLeft" ? -1 : 1;
      const end = addDays(bar.dataset.end, step);
      if (event.shiftKey && end < bar.dataset.start) return;
      const start = event.shiftKey ? bar.dataset.start : addDays(bar.dataset.start, step);
      shift(bar, { start: start, end: end, step: step, lastDayOnly: event.shiftKey });
    });
  }

  return { addDays, swallowNextClick, whileBusy, follow, arrowKeys };
})();
