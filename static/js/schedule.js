// The team schedule's direct manipulation: drag over days to book, drag a booking to
// move it (to another person too), drag its right edge to resize it, Alt+arrows to do
// the same from the keyboard. Every change goes to the server, which answers with the
// affected rows: a refused change redraws the row as it was, so the bar snaps back.
// Without this script every action still works through the booking dialog's form.
(function () {
  "use strict";

  const DAY_MS = 86400000;
  let drag = null;
  let suppressClick = false;

  const dialog = () => document.getElementById("booking-dialog");
  const panel = () => document.getElementById("schedule");

  function addDays(iso, days) {
    const date = new Date(iso + "T00:00:00Z");
    return new Date(date.getTime() + days * DAY_MS).toISOString().slice(0, 10);
  }

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
    schedule.classList.add("is-busy");
    return htmx.ajax("POST", url, { source: bar, values: values, swap: "none" }).finally(function () {
      const current = panel();
      if (current) current.classList.remove("is-busy");
    });
  }

  // --- drag over days to book ---------------------------------------------------------

  function startSelecting(cell, event) {
    drag = { kind: "select", row: cell.closest(".schedule-row"), first: cell, last: cell, x: event.clientX };
  }

  function selectTo(event) {
    const cell = cellAt(event.clientX, event.clientY);
    if (!cell || cell.closest(".schedule-row") !== drag.row) return;
    drag.last = cell;
    const [from, to] = [drag.first.dataset.day, cell.dataset.day].sort();
    drag.row.querySelectorAll("a.cell").forEach(function (each) {
      each.classList.toggle("is-selected", each.dataset.day >= from && each.dataset.day <= to);
    });
  }

  function finishSelecting() {
    const { row, first, last } = drag;
    row.querySelectorAll(".is-selected").forEach((each) => each.classList.remove("is-selected"));
    if (first === last) return; // a plain click: the cell's own link opens the dialog
    suppressClick = true;
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
    drag = {
      kind: event.target.classList.contains("bar-resize") ? "resize" : "move",
      bar: bar, row: bar.closest(".schedule-row"), target: null, x: event.clientX, delta: 0,
      width: dayWidth(track), column: parseInt(bar.dataset.column, 10), span: parseInt(bar.dataset.span, 10),
    };
    bar.setPointerCapture(event.pointerId);
  }

  function dragTo(event) {
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

  function finishDragging() {
    const { bar, kind, delta, target } = drag;
    if (delta === 0 && target === null) {
      bar.style.gridColumn = drag.column + " / span " + drag.span;
      bar.classList.remove("is-dragging");
      return; // a plain click: the bar's own link opens the dialog
    }
    suppressClick = true;
    const values = {
      start_date: kind === "move" ? addDays(bar.dataset.start, delta) : bar.dataset.start,
      end_date: addDays(bar.dataset.end, delta),
    };
    if (target) values.talent = target.dataset.talent;
    move(bar, values);
  }

  // --- wiring -----------------------------------------------------------------------

  document.addEventListener("pointerdown", function (event) {
    if (event.button !== 0 || !event.target.closest(".schedule")) return;
    const bar = event.target.closest("a.bar[href]");
    const cell = event.target.closest("a.cell");
    if (bar) startDragging(bar, event);
    else if (cell) startSelecting(cell, event);
  });

  document.addEventListener("pointermove", function (event) {
    if (!drag) return;
    if (drag.kind === "select") selectTo(event);
    else dragTo(event);
  });

  document.addEventListener("pointerup", function () {
    if (!drag) return;
    try {
      if (drag.kind === "select") finishSelecting();
      else finishDragging();
    } finally {
      drag = null;
    }
  });

  document.addEventListener("pointercancel", function () {
    if (drag && drag.bar) drag.bar.style.gridColumn = drag.column + " / span " + drag.span;
    drag = null;
  });

  // After a drag, the click that follows is not a click.
  window.addEventListener("click", function (event) {
    if (!suppressClick) return;
    suppressClick = false;
    event.preventDefault();
    event.stopPropagation();
  }, true);

  document.addEventListener("dragstart", function (event) {
    if (event.target.closest && event.target.closest(".schedule")) event.preventDefault();
  });

  // Alt+←/→ moves the focused booking a day, Alt+Shift+←/→ changes its last day.
  document.addEventListener("keydown", function (event) {
    const bar = event.target.closest && event.target.closest("a.bar[href]");
    if (!bar || !event.altKey || (event.key !== "ArrowLeft" && event.key !== "ArrowRight")) return;
    event.preventDefault();
    const step = event.key === "ArrowLeft" ? -1 : 1;
    const end = addDays(bar.dataset.end, step);
    if (event.shiftKey && end < bar.dataset.start) return;
    const start = event.shiftKey ? bar.dataset.start : addDays(bar.dataset.start, step);
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
