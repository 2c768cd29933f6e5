// The agenda page: a Copy button for the calendar's address. Without this file the address is still
// there to select and copy by hand, so the button stays hidden until it can work.
(() => {
  // The words shown, in the page's language (its "agenda-messages" data); English without it.
  const TEXT = window.podiumMessages("agenda", {
    copy: "Copy",
    copied: "Copied",
    copied_status: "The address was copied.",
    copy_by_hand: "Select the address and copy it by hand.",
  });
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
      button.textContent = done ? TEXT.copied : TEXT.copy;
      say(done ? TEXT.copied_status : TEXT.copy_by_hand);
      if (done) window.setTimeout(() => { button.textContent = TEXT.copy; }, 2500);
    });
  }
  // Selecting the whole address on focus makes copying by hand one gesture on a phone.
  for (const input of document.querySelectorAll("input[data-copy-source]")) {
    input.addEventListener("focus", () => input.select());
  }
})();
