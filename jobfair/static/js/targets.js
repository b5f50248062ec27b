// The dashboard's cumulative chart (vendored uPlot) and the report's print button.
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });

  const box = document.getElementById("jobs-chart");
  if (!box || typeof uPlot === "undefined") return;
  const data = JSON.parse(box.dataset.chart);
  const series = [{ label: box.dataset.labelMonth }, {
    label: box.dataset.labelActual, stroke: "#1d4ed8", width: 3,
    fill: "rgba(29, 78, 216, 0.12)", points: { show: true },
  }];
  const values = [data.months, data.actual];
  if (data.target) {
    series.push({ label: box.dataset.labelTarget, stroke: "#b45309", width: 2, dash: [8, 6] });
    values.push(data.target);
  }
  function size() {
    return { width: Math.max(280, box.clientWidth), height: 260 };
  }
  const chart = new uPlot({
    ...size(),
    scales: { x: { time: false } },
    axes: [
      { values: (u, ticks) => ticks.map((t) => (Number.isInteger(t) ? t : "")) },
      // Wide enough for "150.000"; figures in the page's language (1.000 / 1,000).
      { size: 64, values: (u, ticks) => ticks.map((t) => t.toLocaleString(document.documentElement.lang)) },
    ],
    series: series,
  }, values, box);
  box.dataset.ready = "1";
  window.addEventListener("resize", () => chart.setSize(size()));
})();
