// Searchable pickers (studio/widgets.py). htmx fetches the matches into the listbox;
// this script chooses one with the mouse or the keyboard and keeps the chosen pk in the
// hidden input the form posts. Loaded by every picker: it runs once per page.
(function () {
  "use strict";
  if (window.searchSelectReady) return;
  window.searchSelectReady = true;

  const pickerOf = (element) => element && element.closest && element.closest("[data-search-select]");
  const boxOf = (picker) => picker.querySelector("[role=combobox]");
  const listOf = (picker) => picker.querySelector("[role=listbox]");
  const optionsOf = (picker) => Array.from(listOf(picker).querySelectorAll("[role=option]"));
  const activeOf = (picker) => listOf(picker).querySelector("[role=option][aria-selected=true]");

  function say(picker, text) {
    const status = picker.querySelector("[data-search-status]");
    if (status) status.textContent = text;
  }

  function show(picker, open) {
    const box = boxOf(picker);
    listOf(picker).hidden = !open;
    box.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) {
      delete picker.dataset.active;
      box.removeAttribute("aria-activedescendant");
      optionsOf(picker).forEach((option) => option.setAttribute("aria-selected", "false"));
    }
  }

  function activate(picker, option) {
    optionsOf(picker).forEach((each) => each.setAttribute("aria-selected", each === option ? "true" : "false"));
    if (option) {
      picker.dataset.active = option.dataset.value;
      boxOf(picker).setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }
  }

  function chosenValues(picker) {
    return Array.from(picker.querySelectorAll(".search-select-chosen input[type=hidden]")).map((input) => input.value);
  }

  function changed(input) {
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function choose(picker, option) {
    const box = boxOf(picker);
    const value = option.dataset.value;
    const label = option.dataset.label;
    if (picker.hasAttribute("data-multiple")) {
      if (!chosenValues(picker).includes(value)) {
        const item = document.createElement("li");
        item.dataset.value = value;
        const name = document.createElement("span");
        name.textContent = label;
        const hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = picker.dataset.name;
        hidden.value = value;
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "search-select-remove";
        remove.dataset.remove = "";
        remove.setAttribute("aria-label", (picker.dataset.removeLabel || "Remove") + " " + label);
        remove.textContent = "×";
        item.append(name, hidden, remove);
        picker.querySelector(".search-select-chosen").append(item);
        changed(hidden);
      }
      box.value = "";
      say(picker, label + " added.");
    } else {
      const hidden = picker.querySelector("[data-search-value]");
      box.value = label;
      box.dataset.label = label;
      if (hidden.value !== value) {
        hidden.value = value;
        changed(hidden);
      }
      say(picker, label + " chosen.");
    }
    show(picker, false);
  }

  // The answer of a search: number the options for aria-activedescendant, leave out
  // those already chosen, open the list.
  document.addEventListener("htmx:afterSwap", function (event) {
    const picker = pickerOf(event.detail.target);
    if (!picker || event.detail.target !== listOf(picker)) return;
    const taken = chosenValues(picker);
    optionsOf(picker).forEach(function (option, index) {
      option.id = listOf(picker).id + "-" + index;
      if (taken.includes(option.dataset.value)) option.remove();
    });
    const count = optionsOf(picker).length;
    const kept = optionsOf(picker).find((option) => option.dataset.value === picker.dataset.active);
    show(picker, document.activeElement === boxOf(picker) && listOf(picker).children.length > 0);
    // The option the arrows were on stays the active one when the matches come again.
    if (kept && !listOf(picker).hidden) activate(picker, kept);
    say(picker, count === 1 ? "1 match." : count + " matches.");
  });

  // A click or the down arrow on a box showing what is chosen lists the first matches of
  // nothing typed, not of that label.
  document.addEventListener("htmx:configRequest", function (event) {
    const picker = pickerOf(event.detail.elt);
    const trigger = event.detail.triggeringEvent;
    if (!picker || !trigger || trigger.type === "input" || event.detail.elt !== boxOf(picker)) return;
    // The list already open: the arrow moves through it rather than asking again.
    if (trigger.type === "keydown" && !listOf(picker).hidden) {
      event.preventDefault();
      return;
    }
    const box = boxOf(picker);
    if (box.value === (box.dataset.label || "")) event.detail.parameters.q = "";
  });

  document.addEventListener("keydown", function (event) {
    const picker = pickerOf(event.target);
    if (!picker || event.target !== boxOf(picker)) return;
    const list = listOf(picker);
    const options = optionsOf(picker);
    const active = activeOf(picker);
    const at = options.indexOf(active);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!options.length) return;
      event.preventDefault();
      show(picker, true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      const next = at < 0 ? (step > 0 ? 0 : options.length - 1) : (at + step + options.length) % options.length;
      activate(picker, options[next]);
    } else if (event.key === "Enter") {
      if (!list.hidden && active) {
        event.preventDefault();
        choose(picker, active);
      } else if (!list.hidden) {
        event.preventDefault(); // the list is open: Enter does not send the form half-chosen
      }
    } else if (event.key === "Escape") {
      if (!list.hidden) {
        event.preventDefault();
        event.stopPropagation(); // close the list, not the dialog around it
        show(picker, false);
      }
    } else if (event.key === "Tab") {
      show(picker, false);
    }
  });

  // Mouse down, not click: the box keeps its focus, so the list is still there to pick from.
  document.addEventListener("mousedown", function (event) {
    const option = event.target.closest && event.target.closest("[role=option]");
    const picker = pickerOf(option);
    if (!option || !picker) return;
    event.preventDefault();
    choose(picker, option);
  });

  document.addEventListener("click", function (event) {
    const remove = event.target.closest && event.target.closest("[data-remove]");
    const picker = pickerOf(remove);
    if (!remove || !picker) return;
    const item = remove.closest("li");
    const label = item.querySelector("span").textContent;
    item.remove();
    changed(boxOf(picker));
    say(picker, label + " removed.");
    boxOf(picker).focus();
  });

  // Leaving a single picker: an emptied box clears the choice, text not chosen gives way
  // to the label of what is chosen.
  document.addEventListener("focusout", function (event) {
    const picker = pickerOf(event.target);
    if (!picker || event.target !== boxOf(picker)) return;
    show(picker, false);
    if (picker.hasAttribute("data-multiple")) return;
    const box = boxOf(picker);
    const hidden = picker.querySelector("[data-search-value]");
    if (box.value.trim() === "") {
      box.dataset.label = "";
      if (hidden.value !== "") {
        hidden.value = "";
        changed(hidden);
      }
    } else {
      box.value = box.dataset.label || "";
    }
  });
})();
