// The assistants' live replies (the planner's scenario chat, the copilot's page and side panel).
// An element with data-assistant-socket follows that websocket: a reply's text appears in its
// data-assistant-log list as it is written (`reply.token`); once the reply is saved
// (`reply.done`), data-assistant-live is fetched into data-assistant-target (the part of the
// page that shows the reply with its buttons or cards). Elements htmx brings in later (the
// copilot's panel, a new conversation) are followed too. Without WebSocket or htmx, forms post.
(function () {
  "use strict";
  var sockets = {};

  function streaming(log, reply) {
    var item = document.getElementById("reply-" + reply);
    if (!item) {
      item = document.createElement("li");
      item.id = "reply-" + reply;
      item.className = "chat-message chat-assistant chat-streaming";
      var text = document.createElement("div");
      text.className = "chat-text";
      item.appendChild(text);
      log.appendChild(item);
    }
    return item.querySelector(".chat-text");
  }

  function connect(path, delay) {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + path);
    sockets[path] = socket;
    socket.onopen = function () { delay = 1000; };
    socket.onmessage = function (message) {
      var data = JSON.parse(message.data);
      var box = document.querySelector('[data-assistant-socket="' + path + '"]');
      var log = box && document.getElementById(box.dataset.assistantLog);
      if (!log) return;
      if (data.event === "reply.token") {
        streaming(log, data.payload.reply).textContent += data.payload.text;
        log.scrollTop = log.scrollHeight;
      } else if (data.event === "reply.done") {
        window.htmx.ajax("GET", box.dataset.assistantLive, { target: box.dataset.assistantTarget, swap: "outerHTML" });
      }
    };
    socket.onclose = function (event) {
      delete sockets[path];
      if (event.code >= 4000) return; // refused (no access, no such chat): do not insist
      setTimeout(function () { if (document.querySelector('[data-assistant-socket="' + path + '"]')) connect(path, Math.min(delay * 2, 30000)); }, delay);
    };
  }

  function follow() {
    if (!window.WebSocket || !window.htmx) return;
    document.querySelectorAll("[data-assistant-socket]").forEach(function (box) {
      if (!sockets[box.dataset.assistantSocket]) connect(box.dataset.assistantSocket, 1000);
    });
  }

  document.addEventListener("DOMContentLoaded", follow);
  document.addEventListener("htmx:afterSettle", follow);
})();
