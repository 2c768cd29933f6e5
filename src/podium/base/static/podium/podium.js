// Small progressive enhancements; every page works without this file.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  // Guard against double submission; the server is idempotent as well (see idempotency keys).
  if (form.dataset.once !== undefined) {
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
  }
});
document.addEventListener("click", (event) => {
  const toggle = event.target.closest("[data-check-all]");
  if (!toggle) return;
  const box = toggle.closest("form");
  box.querySelectorAll('input[type=checkbox][name="' + toggle.dataset.checkAll + '"]').forEach((c) => { c.checked = toggle.checked; });
});
