// Operators' console index: draw the platform overview's charts from the page's JSON. Every
// figure is in the HTML already; without JavaScript the page shows them without charts.
(function () {
  "use strict";

  var COLORS = { signups: "#6366F1", designs: "#10B981", ai_cost: "#F59E0B", errors: "#EF4444" };

  function draw() {
    var source = document.getElementById("console-charts");
    if (!source || !window.Chart) return;
    var charts = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var name = canvas.dataset.chart;
      var data = charts[name];
      data.datasets[0].backgroundColor = COLORS[name];
      data.datasets[0].borderColor = COLORS[name];
      new window.Chart(canvas, {
        type: name === "errors" ? "line" : "bar",
        data: data,
        options: {
          animation: false,
          maintainAspectRatio: false,
          plugins: { legend: { display: false } },
          scales: { y: { beginAtZero: true, ticks: { precision: name === "ai_cost" || name === "errors" ? 2 : 0 } } },
        },
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
