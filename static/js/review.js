// Keyboard review for the queue. Every key presses a control that is also on
// the page, so the keyboard adds nothing the mouse (or no JavaScript) lacks.
(function () {
  "use strict";

  const LABEL_KEYS = { 1: "support", 2: "oppose", 3: "conditional", 4: "neutral" };
  // The stance id of the editor's last action, for "u"; kept across reloads of the tab.
  let lastActed = sessionStorage.getItem("review-last-acted");
  let undoneId = null; // the card an undo was sent for: current again once it is back
  function acted(id) {
    lastActed = id;
    sessionStorage.setItem("review-last-acted", id);
  }

  function notice(item, text) {
    const live = document.getElementById("request-status");
    if (live) live.textContent = text;
    if (!item) return;
    let box = item.querySelector(":scope > .review-notice");
    if (!box) {
      box = document.createElement("p");
      box.className = "review-notice";
      box.setAttribute("role", "status");
      item.prepend(box);
    }
    box.textContent = text;
  }

  const items = () => Array.from(document.querySelectorAll(".review-list .review-item"));
  const current = () => document.querySelector(".review-list .review-item.current");

  function select(item) {
    if (!item) return;
    items().forEach((el) => el.classList.remove("current"));
    item.classList.add("current");
    currentId = item.id;
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  // Only "j" turns the page: after a decision on a page's last proposal the card stays in
  // view with its new state.
  function move(step, turnPage = false) {
    const all = items();
    const index = all.indexOf(current());
    const wanted = index + step;
    if (wanted >= all.length && step > 0 && turnPage) {
      // past the page's last proposal: the next page, if there is one
      const nextPage = document.querySelector("[data-next-page]");
      if (nextPage) window.location.href = nextPage.href;
      return;
    }
    const next = all[Math.min(Math.max(wanted, 0), all.length - 1)];
    if (next) select(next);
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

  // A key pressed while an item is being fetched or swapped in waits for the
  // new item: its controls are not live yet, and the old ones are gone.
  let pendingKey = null;
  const busy = () =>
    document.querySelector(
      ".review-list .htmx-request, .review-list .htmx-added, .review-list .htmx-settling, .review-list .htmx-swapping"
    ) !== null;

  function handleKey(key) {
    const item = current() || items()[0];
    if (!item) return false;
    if (key === "j") move(1, true);
    else if (key === "k") move(-1);
    else if (key === "a" || key === "r" || key === "e") {
      if (press(item, key)) acted(item.dataset.stance);
    } else if (key in LABEL_KEYS) {
      const selectBox = item.querySelector(".label-form select");
      if (!selectBox) return true;
      selectBox.value = LABEL_KEYS[key];
      selectBox.dispatchEvent(new Event("change", { bubbles: true }));
      acted(item.dataset.stance);
    } else if (key === "u") {
      const target = lastActed && document.getElementById(`stance-${lastActed}`);
      if (target && press(target, "u")) {
        undoneId = target.id;
        lastActed = null; // one undo per action; a second "u" would redo it
        sessionStorage.removeItem("review-last-acted");
      } else {
        notice(item, item.dataset.nothingToUndo || "Nothing of yours to undo on this page.");
      }
    } else if (key === "f") {
      const details = item.querySelector(".flag-form");
      if (!details) return true;
      details.open = true;
      details.querySelector("input[name=reason]").focus();
    } else if (key === "x") {
      const box = item.querySelector("input[name=ids]");
      if (box) box.checked = !box.checked;
    } else return false;
    return true;
  }

  const KEYS = new Set(["j", "k", "a", "r", "e", "u", "f", "x", ...Object.keys(LABEL_KEYS)]);

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "?") {
      if (help.open) help.close();
      else help.showModal();
      event.preventDefault();
      return;
    }
    if (help.open || !KEYS.has(event.key)) return;
    event.preventDefault();
    if (busy()) pendingKey = event.key;
    else handleKey(event.key);
  });

  document.querySelectorAll("[data-help-open]").forEach((button) =>
    button.addEventListener("click", () => help.showModal())
  );

  // A decision (by key or by mouse) moves the focus to the next proposal once
  // the server has answered; an edit form takes the focus into its first field.
  let advanceFrom = null;
  let currentId = null;
  document.addEventListener("click", (event) => {
    const button = event.target.closest('[data-key="a"], [data-key="r"]');
    if (button) advanceFrom = button.closest(".review-item").id;
  });
  // Clicking or focusing anything in a card makes it the current one, so the next
  // key acts on the card the editor is looking at.
  function mark(item) {
    items().forEach((el) => el.classList.toggle("current", el === item));
    currentId = item.id;
  }
  ["focusin", "mousedown"].forEach((type) =>
    document.addEventListener(type, (event) => {
      const item = event.target.closest(".review-list .review-item");
      if (item && !item.classList.contains("current")) mark(item);
      else if (item) currentId = item.id;
    })
  );

  // htmx:load fires on the swapped-in item itself (the element that made the
  // request is gone by then, so afterSwap would not reach this listener).
  document.body.addEventListener("htmx:load", (event) => {
    const item = event.detail.elt;
    if (!item.classList || !item.classList.contains("review-item")) return;
    if (item.classList.contains("editing")) {
      select(item);
      const field = item.querySelector("select, input:not([type=hidden]), textarea");
      if (field) field.focus();
      return;
    }
    const advance = advanceFrom === item.id && !item.querySelector(".conflict");
    if (advanceFrom === item.id) advanceFrom = null;
    if (undoneId === item.id) {
      undoneId = null;
      select(item);
    } else if (advance || currentId === item.id || !current()) select(item);
    if (advance) move(1);
    if (pendingKey && !busy()) {
      const key = pendingKey;
      pendingKey = null;
      handleKey(key);
    }
  });

  const first = items()[0];
  if (first) select(first);
})();
