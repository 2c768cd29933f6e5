// Podium's embeddable schedule: put
//   <div id="schedule"></div><script src="https://…/<event>/widget/widget.js" data-target="#schedule" defer></script>
// on any page. It reads the event's schedule.json beside itself (CORS, no cookies) and draws the schedule
// by day into a shadow root of the target (or of a new element after the script), with the event's
// colours: the stylesheets the JSON lists, from Podium. No other code, nothing stored.
(function () {
  "use strict";
  const script = document.currentScript;
  if (!script || !script.src) return;
  const base = script.src;
  const absolute = (path) => new URL(path, base).href;

  let host = script.dataset.target ? document.querySelector(script.dataset.target) : null;
  if (!host) {
    host = document.createElement("div");
    script.after(host);
  }
  host.classList.add("podium-schedule");
  const root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function link(text, path) {
    const anchor = element("a", "", text);
    anchor.href = absolute(path);
    anchor.target = "_blank";
    anchor.rel = "noopener";
    return anchor;
  }

  function draw(data) {
    data.stylesheets.forEach((href) => {
      const sheet = element("link");
      sheet.rel = "stylesheet";
      sheet.href = absolute(href);
      root.append(sheet);
    });
    const box = element("div", "podium-widget");
    const head = element("header", "widget-head");
    const logo = element("span", "event-logo");
    logo.setAttribute("aria-hidden", "true");
    const name = link(data.event.name, data.event.schedule);
    name.dir = "auto"; // names and titles take their own direction (a Hebrew title in an English page)
    head.append(logo, name);
    box.append(head);
    data.days.forEach((day, index) => {
      const section = element("section", "widget-day");
      const heading = element("h2", "", day.label);
      heading.id = "podium-day-" + index;
      section.setAttribute("aria-labelledby", heading.id);
      const list = element("ol", "widget-sessions");
      day.sessions.forEach((session) => {
        const item = element("li", session.break ? "break" : "session");
        if (session.track) item.classList.add("track-" + session.track);
        item.append(element("span", "when", session.start + "–" + session.end));
        const what = element("span", "what");
        what.dir = "auto";
        what.append(session.url ? link(session.title, session.url) : document.createTextNode(session.title));
        const where = element("span", "where", session.room);
        where.dir = "auto";
        item.append(what, where);
        if (session.speakers.length) {
          const who = element("span", "who");
          session.speakers.forEach((speaker, position) => {
            if (position) who.append(", ");
            who.append(element("bdi", "", speaker));
          });
          item.append(who);
        }
        list.append(item);
      });
      section.append(heading, list);
      box.append(section);
    });
    const foot = element("p", "widget-foot", "Times in " + data.event.timezone + " · ");
    foot.append(link("Full schedule", data.event.schedule));
    box.append(foot);
    root.append(box);
  }

  fetch(absolute("schedule.json"), { credentials: "omit", mode: "cors" })
    .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
    .then(draw)
    .catch(() => {
      root.append(element("p", "", "The schedule could not be loaded."));
    });
})();
