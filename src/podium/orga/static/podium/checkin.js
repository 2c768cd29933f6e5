// The check-in desk. Scans go to the server by fetch and their answer is shown large, in words and
// colour. The page keeps a copy of the event's attendee list (refreshed every 30 seconds while online);
// when the network is down it checks a code against that copy, shows the answer marked "offline",
// queues the scan and sends the queue to the server when the network returns. Without this file the
// forms post as usual and the server answers with the page.
(() => {
  "use strict";

  const root = document.getElementById("checkin");
  if (!root) return;

  const REFRESH_MS = 30_000;
  const RETRY_MS = 10_000;
  const SAME_CODE_MS = 3_000;
  const slug = root.dataset.event;
  const keys = {
    desk: "podium:checkin:desk",
    list: `podium:checkin:attendees:${slug}`,
    queue: `podium:checkin:queue:${slug}`,
  };
  const deskField = document.getElementById("checkin-desk");
  const codeField = document.getElementById("checkin-code");
  const resultBox = document.getElementById("checkin-result");
  const statusLine = document.getElementById("checkin-status");
  const conflictBox = document.getElementById("checkin-conflicts");
  const searchForm = document.getElementById("checkin-search");
  const found = document.getElementById("checkin-found");
  const log = document.getElementById("checkin-log");
  // The words shown, in the page's language (its "checkin-messages" data); English without it. A text
  // with a count has both forms, chosen by the language's plural rules.
  const TEXT = window.podiumMessages("checkin", {
    labels: {
      ok: "Valid",
      already: "Already checked in",
      cancelled: "Refused: Cancelled ticket",
      unpaid: "Refused: Not paid",
      wrong_event: "Refused: Ticket of another event",
      unknown: "Refused: Unknown code",
      forged: "Refused: Forged or altered code",
      error: "Not recorded",
    },
    states: {},
    offline: "(offline)",
    a_desk: "a desk",
    online: "Online",
    offline_status: "Offline: codes are checked against this device's copy of the attendee list",
    list: { one: "list of %(count)s ticket from %(time)s", other: "list of %(count)s tickets from %(time)s" },
    no_list: "no attendee list on this device yet",
    waiting: { one: "%(count)s scan waits to be sent", other: "%(count)s scans wait to be sent" },
    unknown_here: "Unknown code (not on this device's attendee list)",
    unknown_no_list: "Unknown code: this device has no attendee list yet",
    cancelled: "Cancelled ticket (the order was cancelled)",
    refunded: "Cancelled ticket (the order was refunded)",
    unpaid: "Not paid (the order is still pending)",
    already_at_desk: "Already checked in at %(time)s at %(desk)s",
    already_at: "Already checked in at %(time)s",
    checked_in: "Checked in: %(attendee)s",
    scan_failed: "The scan was not recorded (the server answered %(status)s). Reload the page and log in again.",
    sync_refused: {
      one: "The server refused %(count)s queued scan: %(reason)s",
      other: "The server refused %(count)s queued scans: %(reason)s",
    },
    unreadable: "they could not be read",
    order: "order %(code)s",
    checked_in_when: "checked in %(when)s",
    check_in: "Check in",
    check_in_name: "Check in %(name)s",
    no_match: "No ticket on this device's list matches.",
    camera_start: "Scan with the camera",
    camera_stop: "Stop the camera",
    camera_failed: "The camera could not be opened: allow this page to use it, or type the code.",
  });
  const LANG = document.documentElement.lang || "en";
  const fill = (text, values) => text.replace(/%\((\w+)\)s/g, (whole, name) => (name in values ? String(values[name]) : whole));
  const plural = (forms, count) => {
    if (typeof forms === "string") return forms;
    let form = "other";
    try {
      form = new Intl.PluralRules(LANG).select(count);
    } catch (error) {
      form = count === 1 ? "one" : "other";
    }
    return fill(forms[form] || forms.other, { count });
  };
  const label = (kind) => TEXT.labels[kind] || kind;
  const offlineMark = (offline) => (offline ? ` ${TEXT.offline}` : "");
  // Times and days in the page's language (<html lang>); English pages keep the British forms.
  const LOCALE = (() => {
    if (/^en$/i.test(LANG)) return "en-GB";
    try {
      return Intl.DateTimeFormat.supportedLocalesOf([LANG]).length ? LANG : "en-GB";
    } catch (error) {
      return "en-GB";
    }
  })();

  // --- Storage ------------------------------------------------------------------------------------

  const load = (key, fallback) => {
    try {
      const value = JSON.parse(localStorage.getItem(key));
      return value === null ? fallback : value;
    } catch (error) {
      return fallback;
    }
  };
  const save = (key, value) => {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch (error) {
      // A full or disabled storage: the page still works online.
    }
  };

  let list = load(keys.list, null); // {generated_at, attendees: [...]}
  let queue = load(keys.queue, []);
  let byPayload = new Map();
  let byId = new Map();

  // The signed token is "payload:timestamp:signature"; the payload (event, ticket and secret) is the
  // same in every token of a ticket, so it identifies the printed code without the server's key.
  const payloadOf = (code) => String(code || "").trim().split(":")[0];

  const indexList = () => {
    byPayload = new Map();
    byId = new Map();
    for (const attendee of (list && list.attendees) || []) {
      byPayload.set(payloadOf(attendee.token), attendee);
      byId.set(attendee.id, attendee);
    }
  };
  indexList();

  const desk = () => deskField.value.trim().replace(/\s+/g, " ");
  deskField.value = deskField.value || localStorage.getItem(keys.desk) || "";
  deskField.addEventListener("change", () => localStorage.setItem(keys.desk, desk()));

  const csrfToken = () => {
    const input = root.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  };

  // "09:12" today, "13 June 09:12" on another day, in the event's time zone (as the server's pages).
  const clock = (iso) => {
    if (!iso) return "";
    const timeZone = root.dataset.timezone || undefined;
    const moment = new Date(iso);
    const time = moment.toLocaleTimeString(LOCALE, { hour: "2-digit", minute: "2-digit", hour12: false, timeZone });
    const day = (date) => date.toLocaleDateString(LOCALE, { day: "numeric", month: "long", timeZone });
    return day(moment) === day(new Date()) ? time : `${day(moment)} ${time}`;
  };

  // --- Showing answers ------------------------------------------------------------------------------

  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  // A name or ticket type inside a line of text, isolated in its own direction (a Hebrew name in an
  // English line reads right to left and leaves the line's order alone; <bdi> in the page's markup).
  const isolate = (value) => `\u2068${value}\u2069`;

  const show = (answer) => {
    const box = element("div", `checkin-result result-${answer.kind}${answer.conflict ? " is-conflict" : ""}`);
    box.setAttribute("role", "alert");
    box.append(element("p", "result-label", label(answer.kind) + offlineMark(answer.offline)));
    box.append(element("p", "result-message", answer.message));
    if (answer.ticket && answer.ticket.company) box.append(element("p", "result-detail", answer.ticket.company));
    resultBox.replaceChildren(box);
    const line = element("li", `log-${answer.kind}`);
    const name = answer.ticket ? ` · ${isolate(answer.ticket.name)}` : "";
    line.textContent = `${clock(new Date().toISOString())} · ${desk() || TEXT.a_desk} · ${label(answer.kind)}${name}${offlineMark(answer.offline)}`;
    const empty = log.querySelector(".muted");
    if (empty) empty.remove();
    log.prepend(line);
  };

  const showStatus = () => {
    const online = navigator.onLine;
    const waiting = queue.length;
    const parts = [online ? TEXT.online : TEXT.offline_status];
    if (list) parts.push(fill(plural(TEXT.list, list.attendees.length), { time: clock(list.generated_at) }));
    else parts.push(TEXT.no_list);
    parts.push(plural(TEXT.waiting, waiting));
    statusLine.textContent = parts.join(" · ");
    statusLine.classList.toggle("is-offline", !online);
    statusLine.hidden = false;
  };

  const showConflicts = (results) => {
    const conflicts = results.filter((result) => result.conflict);
    if (!conflicts.length) return;
    const items = conflictBox.querySelector("ul");
    for (const result of conflicts) items.prepend(element("li", null, result.message));
    conflictBox.hidden = false;
  };

  // --- The attendee list ----------------------------------------------------------------------------

  const refreshList = async () => {
    if (!navigator.onLine) return;
    try {
      const response = await fetch(root.dataset.attendeesUrl, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return;
      list = await response.json();
      // Scans still queued here are not on the server yet: keep them on the fresh copy.
      for (const scan of queue) {
        const attendee = scan.ticket ? list.attendees.find((a) => a.id === scan.ticket) : null;
        const match = attendee || list.attendees.find((a) => payloadOf(a.token) === payloadOf(scan.code));
        if (match && !match.checked_in_at) Object.assign(match, { checked_in_at: scan.scanned_at, desk: scan.desk });
      }
      save(keys.list, list);
      indexList();
    } catch (error) {
      // Offline or the server is away: keep the copy we have.
    }
    showStatus();
  };

  const remember = (attendee, at, where) => {
    if (!attendee) return;
    attendee.checked_in_at = at;
    attendee.desk = where;
    save(keys.list, list);
  };

  const findLocal = (scan) => {
    if (scan.ticket) return byId.get(Number(scan.ticket)) || null;
    const code = String(scan.code || "").trim();
    const payload = byPayload.get(payloadOf(code));
    if (payload) return payload;
    const orderCode = code.toUpperCase();
    const inOrder = ((list && list.attendees) || []).filter((a) => a.order === orderCode);
    return inOrder.length === 1 ? inOrder[0] : null;
  };

  // The answer from this device's copy of the list; only an admitted scan is queued for the server.
  const offlineAnswer = (scan) => {
    const attendee = findLocal(scan);
    const ticket = attendee && { id: attendee.id, name: attendee.name, company: attendee.company, type: attendee.type, order: attendee.order };
    const answer = (kind, message) => ({ kind, message, ticket, offline: true, conflict: false });
    if (!attendee) {
      return answer("unknown", list ? TEXT.unknown_here : TEXT.unknown_no_list);
    }
    if (attendee.state === "cancelled") return answer("cancelled", TEXT.cancelled);
    if (attendee.state === "refunded") return answer("cancelled", TEXT.refunded);
    if (attendee.state !== "paid") return answer("unpaid", TEXT.unpaid);
    if (attendee.checked_in_at) {
      const time = clock(attendee.checked_in_at);
      return answer("already", attendee.desk ? fill(TEXT.already_at_desk, { time, desk: attendee.desk }) : fill(TEXT.already_at, { time }));
    }
    const at = new Date().toISOString();
    remember(attendee, at, scan.desk);
    queue.push({ code: scan.code, ticket: scan.ticket || null, desk: scan.desk, scanned_at: at });
    save(keys.queue, queue);
    return answer("ok", fill(TEXT.checked_in, { attendee: `${attendee.name} \u2014 ${attendee.type}` }));
  };

  // --- Sending --------------------------------------------------------------------------------------

  class Offline extends Error {}

  const post = async (url, body, contentType) => {
    if (!navigator.onLine) throw new Offline();
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { Accept: "application/json", "Content-Type": contentType, "X-CSRFToken": csrfToken() },
      });
    } catch (error) {
      throw new Offline();
    }
    if (response.status >= 502) throw new Offline(); // a proxy or a busy server: try again later
    return response;
  };

  const scanCode = async (scan) => {
    scan.desk = desk();
    try {
      const response = await post(root.dataset.scanUrl, new URLSearchParams({
        code: scan.code || "",
        ticket: scan.ticket || "",
        desk: scan.desk,
      }), "application/x-www-form-urlencoded");
      if (!response.ok) {
        show({ kind: "error", message: fill(TEXT.scan_failed, { status: response.status }), offline: false });
        return;
      }
      const answer = await response.json();
      if (answer.ticket && (answer.kind === "ok" || answer.kind === "already")) {
        remember(byId.get(answer.ticket.id), answer.checked_in_at, answer.desk);
      }
      show(answer);
    } catch (error) {
      if (!(error instanceof Offline)) throw error;
      show(offlineAnswer(scan));
    }
    showStatus();
  };

  let syncing = false;
  const sync = async () => {
    if (syncing || !queue.length || !navigator.onLine) return;
    syncing = true;
    const sending = queue.slice(0, 500);
    try {
      const response = await post(root.dataset.syncUrl, JSON.stringify({ scans: sending }), "application/json");
      if (response.ok) {
        const answer = await response.json();
        queue = queue.slice(sending.length);
        save(keys.queue, queue);
        showConflicts(answer.results || []);
        await refreshList();
      } else if (response.status === 400) {
        // Scans the server cannot read never will be: say so, and stop sending them.
        const answer = await response.json().catch(() => ({}));
        queue = queue.slice(sending.length);
        save(keys.queue, queue);
        const reason = answer.detail || TEXT.unreadable;
        showConflicts([{ conflict: true, message: fill(plural(TEXT.sync_refused, sending.length), { reason }) }]);
      }
    } catch (error) {
      if (!(error instanceof Offline)) throw error;
    } finally {
      syncing = false;
      showStatus();
    }
  };

  // --- The forms ------------------------------------------------------------------------------------

  root.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.classList.contains("js-scan")) return;
    event.preventDefault();
    const data = new FormData(form);
    const code = String(data.get("code") || "").trim();
    if (!code) return;
    scanCode({ code, ticket: data.get("ticket") ? Number(data.get("ticket")) : null });
    if (form.id === "checkin-form") {
      codeField.value = "";
      codeField.focus();
    }
  });

  // Offline, the search runs over this device's copy of the list (online it asks the server).
  searchForm.addEventListener("submit", (event) => {
    if (navigator.onLine || !list) return;
    event.preventDefault();
    const query = document.getElementById("checkin-q").value.trim().toLowerCase();
    const matches = list.attendees
      .filter((a) => query.length >= 2 && (a.name.toLowerCase().includes(query) || a.order.toLowerCase() === query))
      .slice(0, 20);
    found.replaceChildren();
    for (const attendee of matches) {
      const item = element("li");
      const about = element("div");
      const name = element("strong", null, attendee.name);
      name.dir = "auto";
      about.append(name);
      about.append(element("br"));
      const state = TEXT.states[attendee.state] || attendee.state;
      const checkedIn = attendee.checked_in_at ? ` · ${fill(TEXT.checked_in_when, { when: clock(attendee.checked_in_at) })}` : "";
      about.append(element("small", null, `${isolate(attendee.type)} · ${fill(TEXT.order, { code: attendee.order })} · ${state}${checkedIn}`));
      const button = element("button", null, TEXT.check_in);
      button.type = "button";
      button.setAttribute("aria-label", fill(TEXT.check_in_name, { name: attendee.name }));
      button.addEventListener("click", () => scanCode({ code: attendee.order, ticket: attendee.id }));
      item.append(about, button);
      found.append(item);
    }
    if (!matches.length) found.append(element("li", null, TEXT.no_match));
  });

  // --- The camera -----------------------------------------------------------------------------------

  const cameraButton = document.getElementById("checkin-camera");
  const viewfinder = document.getElementById("checkin-viewfinder");
  const video = document.getElementById("checkin-video");
  const canvas = document.createElement("canvas");
  let stream = null;
  let lastCode = "";
  let lastAt = 0;

  const stopCamera = () => {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    viewfinder.hidden = true;
    cameraButton.textContent = TEXT.camera_start;
  };

  const look = () => {
    if (!stream) return;
    if (video.readyState >= video.HAVE_ENOUGH_DATA && video.videoWidth) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const qr = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      const now = Date.now();
      if (qr && qr.data && (qr.data !== lastCode || now - lastAt > SAME_CODE_MS)) {
        lastCode = qr.data;
        lastAt = now;
        scanCode({ code: qr.data, ticket: null });
      }
    }
    requestAnimationFrame(look);
  };

  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.jsQR) {
    cameraButton.hidden = false;
    cameraButton.addEventListener("click", async () => {
      if (stream) {
        stopCamera();
        return;
      }
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      } catch (error) {
        show({ kind: "error", message: TEXT.camera_failed, offline: false });
        return;
      }
      video.srcObject = stream;
      viewfinder.hidden = false;
      cameraButton.textContent = TEXT.camera_stop;
      await video.play();
      requestAnimationFrame(look);
    });
  }

  // --- Network changes ------------------------------------------------------------------------------

  window.addEventListener("online", () => {
    showStatus();
    sync().then(refreshList);
  });
  window.addEventListener("offline", showStatus);
  setInterval(refreshList, REFRESH_MS);
  setInterval(sync, RETRY_MS);
  showStatus();
  refreshList().then(sync);
})();
