// Answers that htmx does not swap (403, 404, 5xx, a refused request) still reach the
// editor: the message shows inside the element the request was for, and the page-wide
// live region repeats it for screen readers. 400 and 409 answers carry the element's
// current state and are swapped in (see the htmx-config meta tag in _base.html).
(function () {
  "use strict";
  const TEXT = {
    403: "You may not do this with your role.",
    404: "This is gone: reload the page.",
  };

  function messageFor(xhr) {
    const body = (xhr.responseText || "").trim();
    if (body && body.length < 300 && !body.startsWith("<")) return body;
    if (TEXT[xhr.status]) return TEXT[xhr.status];
    if (xhr.status >= 500) return "The server failed; nothing was saved. Try again.";
    return `The request was refused (${xhr.status}).`;
  }

  function show(target, text) {
    let box = target && target.querySelector(":scope > .request-error");
    if (target && !box) {
      box = document.createElement("p");
      box.className = "request-error conflict";
      box.setAttribute("role", "alert");
      target.prepend(box);
    }
    if (box) box.textContent = text;
    const live = document.getElementById("request-status");
    if (live) live.textContent = text;
  }

  document.addEventListener("htmx:responseError", (event) => {
    const { xhr, target } = event.detail;
    show(target || event.target, messageFor(xhr));
  });
  document.addEventListener("htmx:sendError", (event) => {
    show(event.detail.target || event.target, "The server cannot be reached; nothing was saved.");
  });
})();
