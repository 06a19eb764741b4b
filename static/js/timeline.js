// A project's timeline, moved by hand: drag a bar to move it, drag its right end to
// change its due date, Alt+←/→ to move the focused bar a day and Alt+Shift+←/→ to change
// its due date (as on the team schedule). Every move goes to the server, which answers
// with the timeline redrawn (a refused move snaps back, its reason in the status line) or
// with a confirmation of what else the move changes, shown in the dialog. Without this
// script, each bar is a link to a form with the same confirmation.
(function () {
  "use strict";

  const { addDays, swallowNextClick, whileBusy, follow, arrowKeys } = window.callsheetDrag;
  let pending = null; // a bar dragged while its confirmation is open: put back on cancel

  const panel = () => document.getElementById("timeline");
  const dialog = () => document.getElementById("timeline-dialog");

  function totalDays(bar) {
    return parseInt(bar.closest(".timeline").dataset.days, 10) || 1;
  }

  function percent(days, total) {
    return (days * 100 / total) + "%";
  }

  function place(bar, offset, span) {
    const total = totalDays(bar);
    bar.style.left = percent(offset, total);
    bar.style.width = percent(span, total);
  }

  function putBack(bar) {
    place(bar, parseInt(bar.dataset.offset, 10), parseInt(bar.dataset.span, 10));
    bar.classList.remove("is-dragging");
  }

  function movable(element) {
    const bar = element && element.closest && element.closest("a.tl-bar[data-move-url]");
    return bar && bar.closest("#timeline") ? bar : null;
  }

  // Post the new dates with the bar's version; the answer says where it goes.
  function post(bar, start, end) {
    const timeline = panel();
    const phase = bar.dataset.kind === "phase";
    const values = { version: bar.dataset.version, zoom: timeline.dataset.zoom };
    values[phase ? "start_date" : "planned_start"] = start;
    values[phase ? "end_date" : "due_date"] = end;
    pending = bar;
    return whileBusy(panel, function () {
      return htmx.ajax("POST", bar.dataset.moveUrl, {
        source: bar, values: values, target: "#timeline", swap: "outerHTML",
      });
    });
  }

  function refocus(key) {
    const again = document.querySelector('#timeline a.tl-bar[data-key="' + key + '"]');
    if (again && !(dialog() && dialog().open)) again.focus();
  }

  // --- dragging -----------------------------------------------------------------------

  function startDragging(bar, event) {
    const track = bar.parentElement;
    const drag = {
      bar: bar, x: event.clientX, delta: 0,
      kind: event.target.classList.contains("tl-bar-end") ? "resize" : "move",
      dayWidth: track.getBoundingClientRect().width / totalDays(bar),
      offset: parseInt(bar.dataset.offset, 10), span: parseInt(bar.dataset.span, 10),
    };
    bar.setPointerCapture(event.pointerId);
    return drag;
  }

  function dragTo(drag, event) {
    const delta = Math.round((event.clientX - drag.x) / drag.dayWidth);
    if (drag.kind === "resize") {
      drag.delta = Math.max(delta, 1 - drag.span);
      place(drag.bar, drag.offset, drag.span + drag.delta);
    } else {
      drag.delta = delta;
      place(drag.bar, drag.offset + delta, drag.span);
    }
    drag.bar.classList.toggle("is-dragging", drag.delta !== 0);
  }

  function finishDragging({ bar, kind, delta }) {
    if (delta === 0) {
      putBack(bar);
      return; // a plain click: the bar's own link opens its dates
    }
    swallowNextClick();
    const start = kind === "move" ? addDays(bar.dataset.start, delta) : bar.dataset.start;
    const key = bar.dataset.key;
    post(bar, start, addDays(bar.dataset.end, delta)).then(function () { refocus(key); });
  }

  follow({
    begin: function (event) {
      const bar = movable(event.target);
      return bar ? startDragging(bar, event) : null;
    },
    move: dragTo,
    finish: finishDragging,
    cancel: (drag) => putBack(drag.bar),
    holds: movable,
  });

  // --- the keyboard ---------------------------------------------------------------------

  arrowKeys(movable, function (bar, { start, end, step, lastDayOnly }) {
    const offset = parseInt(bar.dataset.offset, 10);
    const span = parseInt(bar.dataset.span, 10);
    if (lastDayOnly) place(bar, offset, span + step);
    else place(bar, offset + step, span);
    const key = bar.dataset.key;
    post(bar, start, end).then(function () { refocus(key); });
  });

  // --- the dialog -----------------------------------------------------------------------

  // A click on a deliverable's bar (not a drag) opens its dates in the dialog.
  document.addEventListener("click", function (event) {
    const bar = movable(event.target);
    if (!bar || bar.dataset.kind !== "deliverable") return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    htmx.ajax("GET", bar.getAttribute("href"), { source: bar, target: "#timeline-dialog-body", swap: "innerHTML" });
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    const box = dialog();
    const body = event.detail.target;
    if (box && body.id === "timeline-dialog-body" && body.children.length && !box.open) {
      box.showModal();
      const first = box.querySelector("button[type=submit], input:not([type=hidden])");
      if (first) first.focus();
    }
  });

  function closeDialog() {
    const box = dialog();
    if (box && box.open) box.close();
  }

  document.addEventListener("click", function (event) {
    if (!event.target.closest("#timeline-dialog [data-close-dialog]")) return;
    event.preventDefault();
    closeDialog();
  });

  // Closed without a decision (Cancel, Escape): the dragged bar goes back where it was.
  document.addEventListener("close", function (event) {
    if (event.target !== dialog()) return;
    if (pending && pending.isConnected) {
      putBack(pending);
      pending.focus();
    }
    pending = null;
    document.getElementById("timeline-dialog-body").replaceChildren();
  }, true);

  document.body.addEventListener("timelineDialogClose", closeDialog);
})();
