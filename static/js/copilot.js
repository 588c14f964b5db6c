// The copilot (its page and the side panel of every dashboard page): follow
// /ws/copilot/<id>/ for the conversation shown. An answer's text appears as it is written
// (`reply.token`); once saved (`reply.done`) the conversation is fetched again, with its sources
// and action cards. The panel loads on first opening. Without WebSocket or htmx, forms post.
(function () {
  "use strict";
  var socket = null;
  var followed = "";

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

  function follow() {
    var box = document.getElementById("copilot-conversation");
    var path = box && box.dataset.copilotSocket;
    if (!path || path === followed || !window.WebSocket || !window.htmx) return;
    if (socket) socket.close();
    followed = path;
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + path);
    socket.onmessage = function (message) {
      var data = JSON.parse(message.data);
      var current = document.getElementById("copilot-conversation");
      var log = document.getElementById("copilot-log");
      if (!current || !log) return;
      if (data.event === "reply.token") {
        streaming(log, data.payload.reply).textContent += data.payload.text;
        log.scrollTop = log.scrollHeight;
      } else if (data.event === "reply.done") {
        window.htmx.ajax("GET", current.dataset.copilotLive, { target: "#copilot-conversation", swap: "outerHTML" });
      }
    };
  }

  document.addEventListener("DOMContentLoaded", follow);
  document.addEventListener("htmx:afterSettle", follow); // a new conversation, or the panel loaded
})();
