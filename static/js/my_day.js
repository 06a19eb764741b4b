// My day: the print button prints the call sheet, and the calendar feed's link is
// selected whole when clicked, ready to copy.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
      return;
    }
    const field = event.target.closest("[data-select-on-click]");
    if (field) field.select();
  });
})();
