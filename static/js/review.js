// Keyboard review for the queue. Every key presses a control that is also on
// the page, so the keyboard adds nothing the mouse (or no JavaScript) lacks.
(function () {
  "use strict";

  const LABEL_KEYS = { 1: "support", 2: "oppose", 3: "conditional", 4: "neutral" };
  let lastActed = null; // the stance id of the editor's last action, for "u"

  const items = () => Array.from(document.querySelectorAll(".review-list .review-item"));
  const current = () => document.querySelector(".review-list .review-item.current");

  function select(item) {
    if (!item) return;
    items().forEach((el) => el.classList.remove("current"));
    item.classList.add("current");
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  function move(step) {
    const all = items();
    const index = all.indexOf(current());
    const next = all[Math.min(Math.max(index + step, 0), all.length - 1)];
    if (next) select(next);
    else if (step > 0) {
      const nextPage = document.querySelector("[data-next-page]");
      if (nextPage) window.location.href = nextPage.href;
    }
  }

  function press(item, key) {
    const control = item.querySelector(`[data-key="${key}"]`);
    if (!control) return false;
    control.click();
    return true;
  }

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  const help = document.getElementById("help");

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "?") {
      if (help.open) help.close();
      else help.showModal();
      event.preventDefault();
      return;
    }
    if (help.open) return;
    const item = current() || items()[0];
    if (!item) return;
    const key = event.key;
    if (key === "j") move(1);
    else if (key === "k") move(-1);
    else if (key === "a" || key === "r" || key === "e") {
      if (press(item, key)) lastActed = item.dataset.stance;
    } else if (key in LABEL_KEYS) {
      const selectBox = item.querySelector(".label-form select");
      if (!selectBox) return;
      selectBox.value = LABEL_KEYS[key];
      selectBox.dispatchEvent(new Event("change", { bubbles: true }));
      lastActed = item.dataset.stance;
    } else if (key === "u") {
      const target = lastActed && document.getElementById(`stance-${lastActed}`);
      if (target) press(target, "u");
    } else if (key === "f") {
      const details = item.querySelector(".flag-form");
      if (!details) return;
      details.open = true;
      details.querySelector("input[name=reason]").focus();
    } else if (key === "x") {
      const box = item.querySelector("input[name=ids]");
      if (box) box.checked = !box.checked;
    } else return;
    event.preventDefault();
  });

  document.querySelectorAll("[data-help-open]").forEach((button) =>
    button.addEventListener("click", () => help.showModal())
  );

  // After a decision the next proposal takes the focus; after an edit form
  // opens, its first field does; after a label change, the item stays.
  document.body.addEventListener("htmx:afterSwap", (event) => {
    const swapped = event.detail.target;
    if (!swapped || !swapped.id || !swapped.id.startsWith("stance-")) return;
    const item = document.getElementById(swapped.id);
    if (!item) return;
    if (item.classList.contains("editing")) {
      select(item);
      const field = item.querySelector("select, input:not([type=hidden]), textarea");
      if (field) field.focus();
      return;
    }
    const verb = event.detail.requestConfig && event.detail.requestConfig.verb;
    const decided = item.classList.contains("status-approved") || item.classList.contains("status-rejected");
    select(item);
    if (verb === "post" && decided && !item.querySelector(".conflict")) move(1);
  });

  const first = items()[0];
  if (first) select(first);
})();
