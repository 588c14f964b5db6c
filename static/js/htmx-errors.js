// Dashboard: an htmx request answered with an error (403, 404, 409, 429, 5xx…) or never
// answered shows why in the page's alert region (#htmx-error, role="alert"), instead of nothing.
// The message is the text of the error page's [data-htmx-error] element, else of its heading and
// paragraphs; it is read as text (DOMParser runs no script of it), never inserted as HTML.
(function () {
  "use strict";

  function region() {
    return document.getElementById("htmx-error");
  }

  function texts(box) {
    var parts = [];
    box.querySelectorAll("h1, h2, p").forEach(function (element) {
      if (element.classList.contains("error-code")) return;
      var text = element.textContent.replace(/\s+/g, " ").trim();
      if (text && parts.indexOf(text) < 0) parts.push(text);
    });
    return parts;
  }

  function messageOf(xhr) {
    var body = (xhr && xhr.responseText) || "";
    var type = (xhr && xhr.getResponseHeader("Content-Type")) || "";
    if (type.indexOf("json") >= 0) {
      try {
        var data = JSON.parse(body);
        var error = data.error || data;
        if (error && error.message) return [String(error.message)];
      } catch (ignored) { /* not JSON after all */ }
    }
    if (type.indexOf("html") >= 0) {
      var page = new DOMParser().parseFromString(body, "text/html");
      var box = page.querySelector("[data-htmx-error]") || page.querySelector("main [role='alert']") ||
        page.querySelector("main .empty-state") || page.querySelector("main") || page.body;
      var parts = box ? texts(box) : [];
      if (parts.length) return parts;
    } else if (body.trim() && body.length < 500) {
      return [body.trim()];
    }
    return [];
  }

  function show(parts, status) {
    var alert = region();
    if (!alert) return;
    if (!parts.length) {
      parts = [(status ? alert.dataset.failed : alert.dataset.unreachable).replace("{status}", status)];
    }
    var message = document.createElement("div");
    message.className = "message message-error";
    var heading = document.createElement("strong");
    heading.textContent = parts[0];
    message.appendChild(heading);
    if (parts.length > 1) {
      var detail = document.createElement("span");
      detail.textContent = parts.slice(1).join(" ");
      message.appendChild(detail);
    }
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn btn-ghost btn-sm";
    close.textContent = alert.dataset.dismiss;
    close.addEventListener("click", function () { alert.replaceChildren(); });
    message.appendChild(close);
    alert.replaceChildren(message);
  }

  // A new request clears what the last one said.
  document.addEventListener("htmx:beforeRequest", function () {
    var alert = region();
    if (alert) alert.replaceChildren();
  });

  // 4xx and 5xx are not swapped by htmx: say why, unless a page chose to swap this answer itself.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (!xhr || xhr.status < 400 || event.detail.shouldSwap) return;
    show(messageOf(xhr), xhr.status);
  });

  document.addEventListener("htmx:sendError", function () {
    show([], 0);
  });
})();
