// CRM imports: drop several CSV files, see how each is read (encoding, delimiter, kind, column
// mapping, first rows), change what was guessed, import, then follow each import live over the
// workspace's notifications socket (a status poll as a fallback). Also draws the data-health
// trend. Every text from a file is written with textContent: never parsed as HTML.
(function () {
  "use strict";

  function json(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) { return String(values[name]); });
  }

  function imports(root) {
    var S = json("crm-imports-strings");
    var FIELDS = json("crm-imports-fields");
    var KINDS = json("crm-imports-kinds");
    var ENCODINGS = json("crm-imports-encodings");
    var csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
    var previews = document.getElementById("crm-previews");
    var input = document.getElementById("crm-files");
    var zone = document.getElementById("crm-dropzone");
    var tracked = {};

    zone.style.display = "block";
    zone.style.border = "2px dashed var(--border)";
    zone.style.borderRadius = "var(--radius)";
    zone.style.padding = "1.5rem";
    zone.style.textAlign = "center";
    zone.style.cursor = "pointer";

    function post(url, file, options) {
      var body = new FormData();
      body.append("file", file);
      Object.keys(options).forEach(function (name) { body.append(name, options[name]); });
      return fetch(url, { method: "POST", body: body, headers: { "X-CSRFToken": csrf }, credentials: "same-origin" })
        .then(function (response) {
          return response.json().then(function (data) { return { ok: response.ok, data: data }; });
        });
    }

    function select(name, choices, value) {
      var node = el("select", { name: name });
      choices.forEach(function (choice) {
        var option = el("option", { value: choice[0] }, choice[1]);
        if (choice[0] === value) option.selected = true;
        node.appendChild(option);
      });
      return node;
    }

    function labelled(text, control) {
      var label = el("label", { "class": "field" });
      label.appendChild(el("span", {}, text));
      label.appendChild(control);
      return label;
    }

    function addFile(file) {
      var card = el("div", { "class": "card crm-import-file" });
      card.appendChild(el("h3", {}, file.name));
      var body = el("div", {});
      card.appendChild(body);
      previews.appendChild(card);
      preview(file, card, body, {});
    }

    function preview(file, card, body, options) {
      post(root.dataset.previewUrl, file, options).then(function (result) {
        body.textContent = "";
        if (!result.ok) {
          body.appendChild(el("div", { "class": "alert alert-error", role: "alert" }, result.data.error.message));
          return;
        }
        var data = result.data;
        var form = el("div", { "class": "form form-inline" });
        var kind = select("kind", KINDS, data.kind);
        var encoding = select("encoding", ENCODINGS.map(function (e) { return [e, e]; }), data.encoding);
        var delimiter = select("delimiter", [[";", ";"], [",", ","], ["\t", S.tab], ["|", "|"]], data.delimiter);
        var source = el("input", { name: "source", type: "text", maxlength: "100" });
        source.value = options.source || "";
        form.appendChild(labelled(S.kind, kind));
        form.appendChild(labelled(S.encoding, encoding));
        form.appendChild(labelled(S.delimiter, delimiter));
        form.appendChild(labelled(S.source, source));
        body.appendChild(form);

        var mapping = el("table", { "class": "table crm-mapping" });
        var head = el("tr", {});
        head.appendChild(el("th", {}, S.column));
        head.appendChild(el("th", {}, S.field));
        mapping.appendChild(head);
        var choices = [["", S.ignored]].concat(FIELDS[data.kind].map(function (f) { return [f, f]; }));
        data.headers.forEach(function (header) {
          var row = el("tr", {});
          row.appendChild(el("td", {}, header));
          var cell = el("td", {});
          var field = select("map", choices, data.mapping[header] || "");
          field.dataset.header = header;
          cell.appendChild(field);
          row.appendChild(cell);
          mapping.appendChild(row);
        });
        body.appendChild(mapping);

        body.appendChild(el("h4", {}, S.preview));
        var table = el("table", { "class": "table crm-preview" });
        var names = FIELDS[data.kind].filter(function (f) { return Object.values(data.mapping).indexOf(f) >= 0; });
        var top = el("tr", {});
        top.appendChild(el("th", {}, S.line));
        names.forEach(function (name) { top.appendChild(el("th", {}, name)); });
        top.appendChild(el("th", {}, S.reason));
        table.appendChild(top);
        data.rows.forEach(function (row) {
          var tr = el("tr", {});
          tr.appendChild(el("td", {}, row.line));
          names.forEach(function (name) { tr.appendChild(el("td", {}, row.values[name] === null ? "" : row.values[name])); });
          tr.appendChild(el("td", {}, row.reason || ""));
          table.appendChild(tr);
        });
        body.appendChild(table);

        function chosen() {
          var map = {};
          mapping.querySelectorAll("select").forEach(function (node) { map[node.dataset.header] = node.value; });
          return {
            kind: kind.value, encoding: encoding.value, delimiter: delimiter.value, source: source.value,
            mapping: JSON.stringify(map)
          };
        }
        var actions = el("div", { "class": "actions" });
        var reread = el("button", { type: "button", "class": "btn" }, S.reread);
        reread.addEventListener("click", function () { preview(file, card, body, chosen()); });
        var start = el("button", { type: "button", "class": "btn btn-primary", "data-start": "" }, S.start);
        start.addEventListener("click", function () {
          start.disabled = true;
          var options = chosen();
          // A kind changed since this preview: read again first, the mapping's fields differ.
          if (options.kind !== data.kind) { preview(file, card, body, { kind: options.kind, source: options.source }); return; }
          post(root.dataset.startUrl, file, options).then(function (result) {
            body.textContent = "";
            if (!result.ok) {
              body.appendChild(el("div", { "class": "alert alert-error", role: "alert" }, result.data.error.message));
              return;
            }
            follow(result.data, body);
          });
        });
        var remove = el("button", { type: "button", "class": "btn btn-link" }, S.remove);
        remove.addEventListener("click", function () { card.remove(); });
        actions.appendChild(start);
        actions.appendChild(reread);
        actions.appendChild(remove);
        body.appendChild(actions);
      });
    }

    function follow(data, body) {
      var bar = el("progress", { max: "100", value: String(data.progress || 0), "aria-label": data.original_name });
      bar.style.width = "100%";
      var state = el("p", { "class": "crm-import-state", "aria-live": "polite" }, S[data.status] || data.status);
      var box = el("div", { "class": "design-progress crm-import-progress", "data-import": data.uuid });
      box.appendChild(bar);
      box.appendChild(state);
      body.appendChild(box);
      tracked[data.uuid] = { bar: bar, state: state, box: box, url: data.url, statusUrl: data.status_url };
      update(data);
      poll(data.uuid);
    }

    function update(data) {
      var one = tracked[data.uuid];
      if (!one || one.finished) return;
      one.bar.value = data.progress;
      one.state.textContent = S[data.status] || data.status;
      if (data.status === "done" || data.status === "failed") {
        one.finished = true;
        one.bar.value = 100;
        one.box.dataset.status = data.status;
        if (data.status === "done") {
          one.box.appendChild(el("p", { "class": "crm-import-summary" }, format(S.summary, data)));
        }
        if (one.url) one.box.appendChild(el("a", { href: one.url, "class": "btn btn-sm" }, S.report));
      }
    }

    function poll(uuid) {
      var one = tracked[uuid];
      if (!one || one.finished || !one.statusUrl) return;
      setTimeout(function () {
        fetch(one.statusUrl, { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (data) { if (data) update(data); poll(uuid); })
          .catch(function () { poll(uuid); });
      }, 3000);
    }

    function connect(delay) {
      if (!window.WebSocket) return;
      var scheme = location.protocol === "https:" ? "wss://" : "ws://";
      var socket = new WebSocket(scheme + location.host + root.dataset.socket);
      socket.onmessage = function (message) {
        var data = JSON.parse(message.data);
        if (data.event === "crm.import") update(data.payload);
      };
      socket.onclose = function () { setTimeout(function () { connect(Math.min(delay * 2, 30000)); }, delay); };
    }

    input.addEventListener("change", function () {
      Array.prototype.forEach.call(input.files, addFile);
      input.value = "";
    });
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) { event.preventDefault(); zone.style.borderColor = "var(--primary)"; });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.style.borderColor = "var(--border)"; });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      Array.prototype.forEach.call(event.dataTransfer.files, addFile);
    });
    (json("crm-imports-live") || []).forEach(function (data) {
      var row = el("div", { "class": "card" });
      row.appendChild(el("h3", {}, data.original_name));
      previews.appendChild(row);
      follow(data, row);
    });
    connect(1000);
  }

  function health() {
    var data = json("crm-health-chart-data");
    var canvas = document.getElementById("crm-health-chart");
    if (!data || !canvas || !window.Chart) return;
    canvas.parentNode.style.height = "300px";
    new window.Chart(canvas, {
      type: "line",
      data: data,
      options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true } } }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("crm-imports");
    if (root) imports(root);
    health();
  });
})();
