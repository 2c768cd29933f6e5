// The page of an automatic scheduling run: while the engine searches, ask the server for its progress
// every second and show it; when the run ends, reload the page to show its plan (or why it failed).
// Without this file the page's "Refresh" link does the same by hand.
(() => {
  "use strict";

  const POLL_MS = 1000;
  const root = document.querySelector("[data-solver-progress]");
  if (!root || !root.dataset.progressUrl) return;
  const bar = root.querySelector("progress");

  const show = (name, value) => {
    root.querySelectorAll(`[data-field='${name}']`).forEach((element) => {
      element.textContent = value === null || value === undefined || value === "" ? "—" : String(value);
    });
  };

  const poll = async () => {
    try {
      const response = await fetch(root.dataset.progressUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (response.ok) {
        const data = await response.json();
        if (!data.active) {
          window.location.reload();
          return;
        }
        show("status_label", data.status_label);
        show("phase", data.phase);
        show("shown_seconds", data.shown_seconds);
        show("iterations", data.iterations);
        show("unscheduled", data.unscheduled);
        show("missed_favourites", data.missed_favourites);
        show("total", data.total);
        if (bar) bar.value = data.shown_seconds;
      }
    } catch (error) {
      // A dropped connection: try again at the next tick; the Refresh link still works.
    }
    window.setTimeout(poll, POLL_MS);
  };

  window.setTimeout(poll, POLL_MS);
})();
