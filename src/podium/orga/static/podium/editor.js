// The schedule editor: drag a session onto an empty cell of the grid to place or move it there, or onto
// the list of sessions not on the schedule to take it off; its "pin" button pins it where it is. The
// server answers with the editor re-rendered from the database, with its message, and that replaces the
// editor here: a refused change shows why and the schedule as it is now. Without this file the "place" and "edit" links lead to a form per session.
(() => {
  "use strict";

  // The words shown, in the page's language (its "editor-messages" data); English without it.
  const TEXT = {
    not_sent: "The change could not be sent: the connection failed. Reload the page to see the schedule as it is now.",
    not_made: "The change was not made (the server answered %(status)s). Reload the page to see the schedule as it is now.",
  };
  try {
    Object.assign(TEXT, JSON.parse(document.getElementById("editor-messages").textContent));
  } catch (error) {
    // no data on this page: English
  }
  const fill = (text, values) => text.replace(/%\((\w+)\)s/g, (whole, name) => (name in values ? String(values[name]) : whole));

  const editor = () => document.getElementById("schedule-editor");
  let dragged = null;

  const dropTargetOf = (node) => {
    const element = node instanceof Element ? node : node && node.parentElement;
    const root = editor();
    if (!element || !root) return null;
    const target = element.closest("td.drop-target, [data-drop='unschedule']");
    return target && root.contains(target) ? target : null;
  };

  // Only sessions on the grid can be taken off it; anything can go on an empty cell.
  const accepts = (target) => Boolean(dragged && target && (target.dataset.drop !== "unschedule" || dragged.placed));

  const clearHighlight = () => {
    document.querySelectorAll(".drag-over").forEach((element) => element.classList.remove("drag-over"));
  };

  const csrfToken = () => {
    const input = document.querySelector("#schedule-editor input[name=csrfmiddlewaretoken]")
      || document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  };

  // A problem the server could not describe in the editor (no connection, a log-in page, an error page).
  const showProblem = (message) => {
    const root = editor();
    if (!root) return;
    root.querySelectorAll(".editor-alert, .editor-notice").forEach((element) => element.remove());
    const alert = document.createElement("div");
    alert.className = "editor-alert";
    alert.setAttribute("role", "alert");
    alert.tabIndex = -1;
    const text = document.createElement("p");
    text.textContent = message;
    alert.append(text);
    root.prepend(alert);
    alert.focus();
  };

  const send = async (url, fields) => {
    const root = editor();
    const body = new URLSearchParams({ ...fields, day: root.dataset.day });
    root.classList.add("is-busy");
    root.setAttribute("aria-busy", "true");
    let response;
    let html;
    try {
      response = await fetch(url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-Podium-Fragment": "1", "X-CSRFToken": csrfToken() },
      });
      html = await response.text();
    } catch (error) {
      root.classList.remove("is-busy");
      root.removeAttribute("aria-busy");
      showProblem(TEXT.not_sent);
      return;
    }
    const template = document.createElement("template");
    template.innerHTML = html;
    const fresh = template.content.querySelector("#schedule-editor[data-editor-fragment]");
    if (!fresh) {
      root.classList.remove("is-busy");
      root.removeAttribute("aria-busy");
      showProblem(fill(TEXT.not_made, { status: response.status }));
      return;
    }
    root.replaceWith(fresh);
    const alert = fresh.querySelector(".editor-alert");
    if (alert) alert.focus();
  };

  // The pin and unpin buttons: sent like a drop, answered with the editor as it is now.
  document.addEventListener("submit", (event) => {
    const form = event.target instanceof HTMLFormElement ? event.target : null;
    const root = editor();
    if (!form || !root || !root.contains(form) || !form.hasAttribute("data-editor-post")) return;
    event.preventDefault();
    const fields = {};
    new FormData(form).forEach((value, name) => {
      if (name !== "csrfmiddlewaretoken") fields[name] = String(value);
    });
    send(form.action, fields);
  });

  document.addEventListener("dragstart", (event) => {
    const item = event.target instanceof Element ? event.target.closest("[draggable='true'][data-code]") : null;
    const root = editor();
    if (!item || !root || !root.contains(item)) return;
    dragged = {
      code: item.dataset.code,
      version: item.dataset.version || "0",
      placed: item.dataset.placed === "1",
      element: item,
    };
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.dataset.code);
    item.classList.add("dragging");
    root.classList.add("is-dragging");
  });

  document.addEventListener("dragend", () => {
    if (dragged) dragged.element.classList.remove("dragging");
    dragged = null;
    clearHighlight();
    const root = editor();
    if (root) root.classList.remove("is-dragging");
  });

  document.addEventListener("dragover", (event) => {
    const target = dropTargetOf(event.target);
    if (!accepts(target)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!target.classList.contains("drag-over")) {
      clearHighlight();
      target.classList.add("drag-over");
    }
  });

  document.addEventListener("dragleave", (event) => {
    const target = dropTargetOf(event.target);
    if (target && !target.contains(event.relatedTarget)) target.classList.remove("drag-over");
  });

  document.addEventListener("drop", (event) => {
    const target = dropTargetOf(event.target);
    if (!accepts(target)) return;
    event.preventDefault();
    const item = dragged;
    dragged = null;
    item.element.classList.remove("dragging");
    clearHighlight();
    const root = editor();
    root.classList.remove("is-dragging");
    if (target.dataset.drop === "unschedule") {
      send(root.dataset.unscheduleUrl, { code: item.code, version: item.version });
    } else {
      send(root.dataset.placeUrl, {
        code: item.code,
        version: item.version,
        room: target.dataset.room,
        start: target.dataset.start,
      });
    }
  });
})();
