// The team schedule's direct manipulation: drag over days to book, drag a booking to
// move it (to another person too), drag its right edge to resize it, Alt+arrows to do
// the same from the keyboard. Every change goes to the server, which answers with the
// affected rows: a refused change redraws the row as it was, so the bar snaps back.
// Without this script every action still works through the booking dialog's form.
(function () {
  "use strict";

  const { addDays, swallowNextClick, whileBusy, follow, arrowKeys } = window.callsheetDrag;

  const dialog = () => document.getElementById("booking-dialog");
  const panel = () => document.getElementById("schedule");

  function dayWidth(track) {
    const days = parseInt(getComputedStyle(track.closest(".schedule")).getPropertyValue("--days"), 10) || 7;
    return track.getBoundingClientRect().width / days;
  }

  function cellAt(x, y) {
    const element = document.elementFromPoint(x, y);
    return element ? element.closest("a.cell") : null;
  }

  function rowAt(x, y) {
    const element = document.elementFromPoint(x, y);
    return element ? element.closest(".schedule-row[data-talent]") : null;
  }

  function move(bar, values) {
    const schedule = panel();
    const url = schedule.dataset.moveUrl.replace("/0/", "/" + bar.dataset.booking + "/");
    values.version = bar.dataset.version;
    values.next = schedule.dataset.next;
    return whileBusy(panel, function () {
      return htmx.ajax("POST", url, { source: bar, values: values, swap: "none" });
    });
  }

  // --- drag over days to book ---------------------------------------------------------

  function startSelecting(cell, event) {
    return { kind: "select", row: cell.closest(".schedule-row"), first: cell, last: cell, x: event.clientX };
  }

  function selectTo(drag, event) {
    const cell = cellAt(event.clientX, event.clientY);
    if (!cell || cell.closest(".schedule-row") !== drag.row) return;
    drag.last = cell;
    const [from, to] = [drag.first.dataset.day, cell.dataset.day].sort();
    drag.row.querySelectorAll("a.cell").forEach(function (each) {
      each.classList.toggle("is-selected", each.dataset.day >= from && each.dataset.day <= to);
    });
  }

  function finishSelecting({ row, first, last }) {
    row.querySelectorAll(".is-selected").forEach((each) => each.classList.remove("is-selected"));
    if (first === last) return; // a plain click: the cell's own link opens the dialog
    swallowNextClick();
    const [from, to] = [first.dataset.day, last.dataset.day].sort();
    openDialog(first, { start: from, end: to });
  }

  // Cells and bars are plain links to the booking form; here they open it in the dialog,
  // telling the server which schedule (window and filters) to redraw rows for.
  function openDialog(link, params) {
    const url = new URL(link.href);
    Object.entries(params || {}).forEach(([name, value]) => url.searchParams.set(name, value));
    url.searchParams.set("next", panel().dataset.next);
    htmx.ajax("GET", url.pathname + url.search, { source: link, target: "#booking-dialog-body", swap: "innerHTML" });
  }

  // --- drag a booking to move or resize it ----------------------------------------------

  function startDragging(bar, event) {
    const track = bar.closest(".track");
    const drag = {
      kind: event.target.classList.contains("bar-resize") ? "resize" : "move",
      bar: bar, row: bar.closest(".schedule-row"), target: null, x: event.clientX, delta: 0,
      width: dayWidth(track), column: parseInt(bar.dataset.column, 10), span: parseInt(bar.dataset.span, 10),
    };
    bar.setPointerCapture(event.pointerId);
    return drag;
  }

  function dragTo(drag, event) {
    const delta = Math.round((event.clientX - drag.x) / drag.width);
    const { bar, column, span } = drag;
    if (drag.kind === "resize") {
      drag.delta = Math.max(delta, 1 - span);
      bar.style.gridColumn = column + " / span " + (span + drag.delta);
    } else {
      drag.delta = delta;
      bar.style.gridColumn = Math.max(1, column + delta) + " / span " + span;
      const row = rowAt(event.clientX, event.clientY);
      drag.target = row && row !== drag.row && !drag.row.classList.contains("is-placeholder") ? row : null;
    }
    bar.classList.toggle("is-dragging", drag.delta !== 0 || drag.target !== null);
  }

  function finishDragging(drag) {
    const { bar, kind, delta, target } = drag;
    if (delta === 0 && target === null) {
      bar.style.gridColumn = drag.column + " / span " + drag.span;
      bar.classList.remove("is-dragging");
      return; // a plain click: the bar's own link opens the dialog
    }
    swallowNextClick();
    const values = {
      start_date: kind === "move" ? addDays(bar.dataset.start, delta) : bar.dataset.start,
      end_date: addDays(bar.dataset.end, delta),
    };
    if (target) values.talent = target.dataset.talent;
    move(bar, values);
  }

  // --- wiring -----------------------------------------------------------------------

  follow({
    begin: function (event) {
      if (!event.target.closest(".schedule")) return null;
      const bar = event.target.closest("a.bar[href]");
      const cell = event.target.closest("a.cell");
      if (bar) return startDragging(bar, event);
      return cell ? startSelecting(cell, event) : null;
    },
    move: function (drag, event) {
      if (drag.kind === "select") selectTo(drag, event);
      else dragTo(drag, event);
    },
    finish: function (drag) {
      if (drag.kind === "select") finishSelecting(drag);
      else finishDragging(drag);
    },
    cancel: function (drag) {
      if (drag.bar) drag.bar.style.gridColumn = drag.column + " / span " + drag.span;
    },
    holds: (element) => element.closest && element.closest(".schedule"),
  });

  // Alt+←/→ moves the focused booking a day, Alt+Shift+←/→ changes its last day.
  arrowKeys((element) => element.closest && element.closest("a.bar[href]"), function (bar, { start, end }) {
    const id = bar.dataset.booking;
    move(bar, { start_date: start, end_date: end }).then(function () {
      const again = document.querySelector('a.bar[data-booking="' + id + '"]');
      if (again) again.focus();
    });
  });

  // The booking dialog: opens when its body is filled, closes when the server says so.
  document.addEventListener("htmx:afterSwap", function (event) {
    const box = dialog();
    // A saved change leaves the body empty (its rows come out of band): nothing to show.
    const body = event.detail.target;
    if (box && body.id === "booking-dialog-body" && body.children.length && !box.open) {
      box.showModal();
      const first = box.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    }
  });

  document.body.addEventListener("bookingDialogClose", function () {
    const box = dialog();
    if (box && box.open) box.close();
  });

  document.addEventListener("click", function (event) {
    const link = event.target.closest(".schedule a.cell, .schedule a.bar[href]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    openDialog(link);
  });

  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-close-dialog]")) return;
    const box = dialog();
    if (box && box.open) {
      event.preventDefault();
      box.close();
    }
  });
})();
