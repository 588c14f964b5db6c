// Design page: follow /ws/designs/<id>/ and show status, step and progress live; previews as
// soon as they exist; reload once the design is finished (downloads, 3D view, buttons).
(function () {
  "use strict";
  var FINISHED = ["ready", "rejected", "failed", "cancelled"];

  function start(card) {
    if (FINISHED.indexOf(card.dataset.designStatus) >= 0) return; // nothing more will happen
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + card.dataset.designSocket);
    var field = function (name) { return card.querySelector('[data-design-field="' + name + '"]'); };
    // Steps and statuses in the page's language (the template's data-design-labels), never the keys.
    var label = function (kind, key) {
      var item = card.querySelector("[data-design-labels] [data-" + kind + '="' + CSS.escape(key) + '"]');
      return item ? item.textContent : "";
    };

    socket.addEventListener("message", function (message) {
      var event = JSON.parse(message.data);
      if (event.type !== "design.status") return;
      field("status").textContent = label("status", event.status);
      field("status").className = "badge design-status-" + event.status;
      field("progress").value = event.progress;
      field("step").textContent = label("step", event.step);
      field("percent").textContent = event.progress;
      if (event.assets) showPreviews(event.assets);
      var wasFinished = FINISHED.indexOf(card.dataset.designStatus) >= 0;
      if (!wasFinished && FINISHED.indexOf(event.status) >= 0) {
        socket.close();
        location.reload();
      }
    });
  }

  function showPreviews(assets) {
    var box = document.querySelector("[data-design-previews]");
    if (!box) return;
    Object.keys(assets).forEach(function (key) {
      var parts = key.split("/");
      if (parts.length !== 2 || parts[1] !== "preview_webp") return;
      var figure = box.querySelector('figure[data-view="' + CSS.escape(parts[0]) + '"]');
      if (!figure) {
        var empty = box.querySelector("[data-design-empty]");
        if (empty) empty.remove();
        figure = document.createElement("figure");
        figure.dataset.view = parts[0];
        var caption = document.createElement("figcaption");
        caption.textContent = parts[0];
        figure.appendChild(caption);
        box.appendChild(figure);
      }
      var image = figure.querySelector("img");
      if (!image) {
        image = document.createElement("img");
        image.alt = parts[0];
        figure.insertBefore(image, figure.firstChild);
      }
      image.src = assets[key];
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-design-socket]").forEach(start);
  });
})();
