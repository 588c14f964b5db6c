// Customer 360: the purchases-per-month chart, from the page's JSON (the figures are also in the
// tables below; without JavaScript the page shows them without the chart).
(function () {
  "use strict";

  var PALETTE = ["#6366F1", "#10B981"];

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("customer-chart-data");
    var canvas = document.querySelector("canvas[data-customer-chart]");
    if (!source || !canvas || !window.Chart) return;
    var data = JSON.parse(source.textContent);
    var datasets = data.datasets.map(function (dataset, index) {
      return Object.assign({ backgroundColor: PALETTE[index % PALETTE.length], borderColor: PALETTE[index % PALETTE.length] }, dataset);
    });
    canvas.parentNode.style.height = "260px";
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: datasets },
      options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } },
    });
  });
})();
