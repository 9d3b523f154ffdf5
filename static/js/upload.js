// Files dropped anywhere on the upload page go into the form's file input, so
// the form posts them exactly as if they had been chosen with the picker.
(function () {
  "use strict";
  const zone = document.querySelector("[data-drop-zone]");
  const input = zone && zone.querySelector("input[type=file]");
  const summary = zone && zone.querySelector("[data-drop-summary]");
  if (!input) return;

  const form = input.form;
  const maxTotal = Number(form.dataset.maxTotalBytes) || Infinity;
  const totalBytes = () => Array.from(input.files).reduce((sum, file) => sum + file.size, 0);
  const megabytes = (bytes) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

  const describe = () => {
    const n = input.files.length;
    const total = totalBytes();
    if (total > maxTotal) {
      summary.textContent =
        `${n} files, ${megabytes(total)}: more than the ${megabytes(maxTotal)} one upload ` +
        "may hold. Upload them in smaller batches.";
      summary.classList.add("error");
      return;
    }
    summary.classList.remove("error");
    summary.textContent = n ? `${n} file${n === 1 ? "" : "s"} ready to upload.` : "";
  };
  input.addEventListener("change", describe);
  // The server refuses such an upload too, but only once the browser has sent it all.
  form.addEventListener("submit", (event) => {
    if (totalBytes() > maxTotal) {
      event.preventDefault();
      describe();
    }
  });

  ["dragenter", "dragover"].forEach((type) =>
    document.addEventListener(type, (event) => {
      event.preventDefault();
      zone.classList.add("dragging");
    })
  );
  ["dragleave", "drop"].forEach((type) =>
    document.addEventListener(type, () => zone.classList.remove("dragging"))
  );
  document.addEventListener("drop", (event) => {
    event.preventDefault();
    if (!event.dataTransfer || !event.dataTransfer.files.length) return;
    const files = new DataTransfer();
    Array.from(input.files).forEach((file) => files.items.add(file));
    Array.from(event.dataTransfer.files).forEach((file) => files.items.add(file));
    input.files = files.files;
    describe();
  });
})();
