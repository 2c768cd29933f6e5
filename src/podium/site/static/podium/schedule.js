// The public schedule grid: while rooms are off-screen to the right, a hint at the screen's edge says so.
// The grid widens the page, which scrolls sideways (site.css); the hint goes once the last room is in
// view, and while the grid is not on screen (the list shown, scrolled past).
(function () {
  "use strict";

  function update() {
    const hint = document.querySelector("[data-more-rooms]");
    if (!hint) return;
    const grid = document.querySelector("table.schedule-grid");
    if (!grid || grid.offsetParent === null) {
      hint.hidden = true;
      return;
    }
    const box = grid.getBoundingClientRect();
    const width = document.documentElement.clientWidth;
    const onScreen = box.bottom > 0 && box.top < window.innerHeight;
    hint.hidden = !(onScreen && box.right > width + 1);
  }

  let queued = false;
  function schedule() {
    if (queued) return;
    queued = true;
    window.requestAnimationFrame(() => {
      queued = false;
      update();
    });
  }

  window.addEventListener("scroll", schedule, { passive: true });
  window.addEventListener("resize", schedule);
  window.addEventListener("hashchange", schedule);
  // A new release replaces the schedule in place (live.js): look again.
  const region = document.querySelector("[data-live-region]");
  if (region && "MutationObserver" in window) new MutationObserver(schedule).observe(region, { childList: true });
  update();
})();
