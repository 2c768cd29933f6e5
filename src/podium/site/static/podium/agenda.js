// The agenda page: a Copy button for the calendar's address. Without this file the address is still
// there to select and copy by hand, so the button stays hidden until it can work.
(() => {
  const status = document.querySelector("[data-copy-status]");

  function say(text) {
    if (status) status.textContent = text;
  }

  async function copy(input) {
    try {
      await navigator.clipboard.writeText(input.value);
      return true;
    } catch (error) {
      input.focus();
      input.select();
      try {
        return document.execCommand("copy");
      } catch (ignored) {
        return false;
      }
    }
  }

  for (const button of document.querySelectorAll("button[data-copy]")) {
    const input = document.getElementById(button.dataset.copy);
    if (!input) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      const done = await copy(input);
      button.textContent = done ? "Copied" : "Copy";
      say(done ? "The address was copied." : "Select the address and copy it by hand.");
      if (done) window.setTimeout(() => { button.textContent = "Copy"; }, 2500);
    });
  }
  // Selecting the whole address on focus makes copying by hand one gesture on a phone.
  for (const input of document.querySelectorAll("input[data-copy-source]")) {
    input.addEventListener("focus", () => input.select());
  }
})();
