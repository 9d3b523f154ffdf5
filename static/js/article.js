// Selecting text in the article fills the "add a stance" form with the exact
// passage and where it starts, so the server finds the right occurrence.
(function () {
  "use strict";
  const body = document.querySelector(".article-body");
  const form = document.querySelector("#add-stance form");
  if (!body || !form) return;
  const quote = form.querySelector("[name=quote]");
  const near = form.querySelector("[name=near]");

  function offsetOf(node, offset) {
    const segment = (node.nodeType === Node.TEXT_NODE ? node.parentElement : node).closest("[data-start]");
    return segment ? Number(segment.dataset.start) + offset : 0;
  }

  document.addEventListener("mouseup", () => {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !body.contains(selection.anchorNode)) return;
    const text = selection.toString().trim();
    if (!text) return;
    const start = Math.min(
      offsetOf(selection.anchorNode, selection.anchorOffset),
      offsetOf(selection.focusNode, selection.focusOffset)
    );
    quote.value = text;
    near.value = start;
    const section = form.closest("section");
    section.classList.add("filled");
    // the form is below the text: bring it into view, ready for the actor's name
    section.scrollIntoView({ block: "center" });
    form.querySelector("[name=actor_name]").focus({ preventScroll: true });
  });
})();
