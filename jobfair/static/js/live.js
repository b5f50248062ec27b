// The live dashboard: polls the figures every 10 seconds and draws the arrivals per
// 15 minutes as an SVG bar chart (no library needed for bars).
(function () {
  "use strict";

  const root = document.getElementById("live");
  if (!root) return;
  const SVG = "http://www.w3.org/2000/svg";

  function element(name, attributes) {
    const node = document.createElementNS(SVG, name);
    Object.entries(attributes).forEach(([key, value]) => node.setAttribute(key, String(value)));
    return node;
  }

  function hhmm(iso) {
    return new Date(iso).toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit",
      hour12: false, timeZone: "Asia/Ho_Chi_Minh" });
  }

  function drawChart(arrivals) {
    const box = document.getElementById("arrivals-chart");
    const width = 340;
    const height = 160;
    const bottom = 20;
    const svg = element("svg", { viewBox: `0 0 ${width} ${height}`, class: "arrivals-svg" });
    const most = Math.max(1, ...arrivals.map((bucket) => bucket.count));
    const slot = Math.min(width / Math.max(arrivals.length, 1), 40);
    arrivals.forEach((bucket, index) => {
      const barHeight = ((height - bottom - 14) * bucket.count) / most;
      const x = index * slot + 2;
      const y = height - bottom - barHeight;
      svg.append(element("rect", { x, y, width: Math.max(slot - 4, 2), height: barHeight, class: "bar" }));
      const value = element("text", { x: x + slot / 2 - 2, y: y - 2, "text-anchor": "middle", class: "bar-value" });
      value.textContent = String(bucket.count);
      svg.append(value);
      if (arrivals.length <= 12 || index % Math.ceil(arrivals.length / 12) === 0) {
        const tick = element("text", { x: x + slot / 2 - 2, y: height - 5, "text-anchor": "middle", class: "bar-label" });
        tick.textContent = hhmm(bucket.at);
        svg.append(tick);
      }
    });
    box.replaceChildren(svg);
  }

  function renderConflicts(conflicts) {
    const list = document.getElementById("live-conflicts");
    if (!list || !conflicts) return;
    list.replaceChildren();
    if (!conflicts.length) {
      const none = document.createElement("li");
      none.className = "muted";
      none.textContent = list.dataset.labelNone;
      list.append(none);
    }
    conflicts.forEach((row) => {
      const item = document.createElement("li");
      const name = document.createElement("strong");
      name.textContent = row.full_name;
      item.append(`${hhmm(row.at)} · `, name,
        ` · ${list.dataset.labelLetIn.replace("%(who)s", row.staff)} ${
          row.result === "already_checked_in" ? list.dataset.labelAlready : list.dataset.labelInvalid}`);
      list.append(item);
    });
  }

  function render(figures) {
    renderConflicts(figures.conflicts);
    document.getElementById("live-checked-in").textContent = String(figures.checked_in);
    document.getElementById("live-registered").textContent = String(figures.registered);
    document.getElementById("live-as-of").textContent = hhmm(figures.as_of);
    drawChart(figures.arrivals);
    const body = document.getElementById("booth-visits");
    body.replaceChildren();
    if (!figures.booth_visits.length) {
      const tr = document.createElement("tr");
      const cell = document.createElement("td");
      cell.colSpan = 2;
      cell.className = "muted";
      cell.textContent = root.dataset.labelNone;
      tr.append(cell);
      body.append(tr);
    }
    figures.booth_visits.forEach((row) => {
      const tr = document.createElement("tr");
      const name = document.createElement("td");
      name.textContent = row.employer;
      const count = document.createElement("td");
      count.textContent = String(row.count);
      tr.append(name, count);
      body.append(tr);
    });
  }

  function poll() {
    fetch(root.dataset.liveUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((figures) => { if (figures) render(figures); })
      .catch(() => null);
  }

  poll();
  window.setInterval(poll, 10000);
})();
