// Room screens: recompute "now" and "next" from the released sessions in the page every 30 seconds,
// so a screen outside a room keeps up with the clock without reloading. After a live update (live.js
// swaps in the fresh page) the new sessions are read again.
(() => {
  const TICK_MS = 30000;
  // The words shown, in the page's language (its "rooms-messages" data); English without it.
  const TEXT = {
    left: "%(minutes)s min left",
    in: "in %(minutes)s min",
  };
  try {
    Object.assign(TEXT, JSON.parse(document.getElementById("rooms-messages").textContent));
  } catch (error) {
    // no data on this page: English
  }
  const format = (text, values) => text.replace(/%\((\w+)\)s/g, (whole, name) => (name in values ? String(values[name]) : whole));
  // Times and days in the page's language (<html lang>); English pages keep the British forms the
  // server writes ("09:05", "Monday 13 June").
  const LOCALE = (() => {
    const lang = document.documentElement.lang || "";
    if (!lang || /^en$/i.test(lang)) return "en-GB";
    try {
      return Intl.DateTimeFormat.supportedLocalesOf([lang]).length ? lang : "en-GB";
    } catch (error) {
      return "en-GB";
    }
  })();
  let data = null;
  let timeFormat = null;
  let dayFormat = null;

  function load() {
    const script = document.getElementById("room-screen-data");
    data = script ? JSON.parse(script.textContent) : null;
    if (!data) return;
    const options = { timeZone: data.timezone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    timeFormat = new Intl.DateTimeFormat(LOCALE, options);
    dayFormat = new Intl.DateTimeFormat(LOCALE, {
      timeZone: data.timezone,
      weekday: "long",
      day: "numeric",
      month: "long",
    });
    const dateKey = new Intl.DateTimeFormat("en-CA", { timeZone: data.timezone });
    data.dayOf = (moment) => dateKey.format(moment);
    for (const room of data.rooms) {
      for (const session of room.sessions) {
        session.startAt = new Date(session.start);
        session.endAt = new Date(session.end);
      }
    }
  }

  function minutesUntil(now, later) {
    return Math.max(0, Math.ceil((later - now) / 60000));
  }

  function fill(slot, session, role, now) {
    const filled = slot.querySelector("[data-filled]");
    const empty = slot.querySelector("[data-empty]");
    filled.hidden = !session;
    empty.hidden = Boolean(session);
    if (!session) return;
    slot.querySelector("[data-title]").textContent = session.title;
    // Each name isolated in its own direction, as the page renders them.
    const speakers = slot.querySelector("[data-speakers]");
    speakers.replaceChildren();
    session.speakers.forEach((name, position) => {
      if (position) speakers.append(", ");
      const isolated = document.createElement("bdi");
      isolated.textContent = name;
      speakers.append(isolated);
    });
    slot.querySelector("[data-time]").textContent =
      timeFormat.format(session.startAt) + "–" + timeFormat.format(session.endAt);
    let left;
    if (role === "current") left = format(TEXT.left, { minutes: minutesUntil(now, session.endAt) });
    else if (data.dayOf(now) !== data.dayOf(session.startAt)) left = dayFormat.format(session.startAt);
    else left = format(TEXT.in, { minutes: minutesUntil(now, session.startAt) });
    slot.querySelector("[data-left]").textContent = left;
    const late = slot.querySelector("[data-late]");
    late.hidden = !session.notice;
    late.textContent = session.notice || "";
  }

  function render() {
    if (!data) return;
    const now = new Date();
    const clock = document.querySelector("[data-clock]");
    if (clock) clock.textContent = timeFormat.format(now);
    const today = document.querySelector("[data-today]");
    if (today) today.textContent = dayFormat.format(now);
    // A session moved out of a room is announced there until the end of its old time.
    for (const list of document.querySelectorAll("[data-moved-away]")) {
      let shown = 0;
      for (const item of list.querySelectorAll("[data-until]")) {
        item.hidden = new Date(item.dataset.until) <= now;
        if (!item.hidden) shown += 1;
      }
      list.hidden = shown === 0;
    }
    for (const room of data.rooms) {
      const element = document.querySelector('[data-room="' + room.uuid + '"]');
      if (!element) continue;
      const current = room.sessions.find((s) => s.startAt <= now && now < s.endAt) || null;
      const upcoming = room.sessions.find((s) => s.startAt > now) || null;
      fill(element.querySelector('[data-slot="current"]'), current, "current", now);
      fill(element.querySelector('[data-slot="next"]'), upcoming, "next", now);
    }
  }

  load();
  window.setInterval(render, TICK_MS);
  document.addEventListener("podium:live-updated", () => {
    load();
    render();
  });
})();
