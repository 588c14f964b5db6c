// Dashboard home: draw the charts from the panel's JSON, and refresh the panel live when a
// design finishes or an order arrives (the workspace's notifications socket). Every figure is
// in the HTML already; without JavaScript the page still shows them, without charts.
(function () {
  "use strict";

  var PALETTE = ["#6366F1", "#10B981", "#F59E0B", "#EF4444", "#0EA5E9", "#8B5CF6", "#64748B"];
  var LIVE_EVENTS = { "order.status": true, "design.status": true };
  var FINAL = { queued: true, ready: true, failed: true, rejected: true };

  function chartConfig(kind, data) {
    var datasets = data.datasets.map(function (dataset, index) {
      return Object.assign({ backgroundColor: PALETTE[index % PALETTE.length], borderColor: PALETTE[index % PALETTE.length] }, dataset);
    });
    if (kind === "timeline") {
      datasets[0] = Object.assign(datasets[0], { type: "bar", yAxisID: "revenue" });
      datasets[1] = Object.assign(datasets[1], { type: "line", yAxisID: "orders", tension: 0.25 });
      return {
        type: "bar",
        data: { labels: data.labels, datasets: datasets },
        options: { animation: false, maintainAspectRatio: false, scales: {
          revenue: { position: "left", beginAtZero: true },
          orders: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, ticks: { precision: 0 } },
        } },
      };
    }
    if (kind === "statuses") {
      datasets[0].backgroundColor = PALETTE;
      return { type: "doughnut", data: { labels: data.labels, datasets: datasets }, options: { animation: false, maintainAspectRatio: false } };
    }
    return {
      type: "bar",
      data: { labels: data.labels, datasets: datasets },
      options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    };
  }

  function draw(root) {
    var source = document.getElementById("analytics-charts");
    if (!source || !window.Chart) return;
    var charts = JSON.parse(source.textContent);
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var existing = window.Chart.getChart(canvas);
      if (existing) existing.destroy();
      canvas.parentNode.style.height = "280px";
      new window.Chart(canvas, chartConfig(canvas.dataset.chart, charts[canvas.dataset.chart]));
    });
  }

  function follow(panel) {
    var timer = null;
    var delay = 1000;
    var refresh = function () {
      timer = null;
      window.htmx.ajax("GET", location.pathname + location.search, { target: "#analytics", swap: "innerHTML" });
    };
    var connect = function () {
      var scheme = location.protocol === "https:" ? "wss://" : "ws://";
      var socket = new WebSocket(scheme + location.host + panel.dataset.liveSocket);
      socket.onopen = function () { delay = 1000; };
      socket.onmessage = function (message) {
        var data = JSON.parse(message.data);
        if (!LIVE_EVENTS[data.event]) return;
        if (data.event === "design.status" && !FINAL[data.payload.status]) return;
        if (!timer) timer = setTimeout(refresh, 500); // several events at once: one refresh
      };
      socket.onclose = function () {
        setTimeout(connect, delay);
        delay = Math.min(delay * 2, 30000);
      };
    };
    connect();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.getElementById("analytics");
    if (!panel) return;
    draw(panel);
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.target.id === "analytics") draw(event.target);
    });
    if (window.WebSocket && window.htmx) follow(panel);
  });
})();
