// Scenario page: follow /ws/planner/<id>/. A reply's text appears as it is written
// (`reply.token`); once it is saved (`reply.done`), the sidebar, the chat and the plan are fetched
// again, so every member looking at the scenario sees what changed. Without WebSocket or htmx the
// page still works: each form posts and the page reloads.
(function () {
  "use strict";

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

  function follow(chat) {
    var socketPath = chat.dataset.chatSocket;
    var livePath = chat.dataset.chatLive;
    var delay = 1000;
    var connect = function () {
      var scheme = location.protocol === "https:" ? "wss://" : "ws://";
      var socket = new WebSocket(scheme + location.host + socketPath);
      socket.onopen = function () { delay = 1000; };
      socket.onmessage = function (message) {
        var data = JSON.parse(message.data);
        var log = document.getElementById("chat-log");
        if (!log) return;
        if (data.event === "reply.token") {
          streaming(log, data.payload.reply).textContent += data.payload.text;
          log.scrollTop = log.scrollHeight;
        } else if (data.event === "reply.done") {
          window.htmx.ajax("GET", livePath, { target: "#planner-live", swap: "outerHTML" });
        }
      };
      socket.onclose = function (event) {
        if (event.code >= 4000) return; // refused (no access, no such scenario): do not insist
        setTimeout(connect, delay);
        delay = Math.min(delay * 2, 30000);
      };
    };
    connect();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var chat = document.getElementById("chat");
    if (chat && chat.dataset.chatSocket && window.WebSocket && window.htmx) follow(chat);
  });
})();
