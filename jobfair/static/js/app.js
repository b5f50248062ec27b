// Behaviour shared by every page. No inline scripts anywhere (Content-Security-Policy).
(function () {
  "use strict";

  // Province → ward pickers: <select data-ward-picker="ID-of-ward-select"> reloads the
  // ward list of the chosen province without reloading the page.
  function fillWards(provinceSelect) {
    const wardSelect = document.getElementById(provinceSelect.dataset.wardPicker);
    if (!wardSelect) return;
    const province = provinceSelect.value;
    const keep = wardSelect.value;
    const emptyLabel = wardSelect.dataset.emptyLabel || "—";
    wardSelect.innerHTML = "";
    wardSelect.append(new Option(emptyLabel, ""));
    // A quick second change must win over a slow first answer.
    const request = (wardSelect.wardRequest = (wardSelect.wardRequest || 0) + 1);
    if (!province) return;
    fetch(`/places/provinces/${encodeURIComponent(province)}/wards.json`)
      .then((response) => (response.ok ? response.json() : []))
      .catch(() => [])
      .then((wards) => {
        if (request !== wardSelect.wardRequest) return;
        for (const ward of wards) {
          wardSelect.append(new Option(ward.name, ward.code, false, String(ward.code) === keep));
        }
        wardSelect.dispatchEvent(new Event("wards-loaded"));
      });
  }

  document.querySelectorAll("select[data-ward-picker]").forEach((select) => {
    select.addEventListener("change", () => fillWards(select));
  });

  // Tables shown as cards on phones (<table class="cards">, app.css): each cell is
  // labelled with its column's header.
  document.querySelectorAll("table.cards").forEach((table) => {
    const names = Array.from(table.querySelectorAll("thead th"), (th) => th.textContent.trim());
    table.querySelectorAll("tbody tr").forEach((row) => {
      Array.from(row.children).forEach((cell, index) => {
        if (names[index] && !cell.hasAttribute("colspan")) cell.dataset.label = names[index];
      });
    });
  });

  // Buttons and forms that ask before acting: data-confirm="Question?"
  document.addEventListener("submit", (event) => {
    const question = event.target.dataset && event.target.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });

  // Signed out: what the door scanner kept on this phone (names, ages, wards, the cached
  // scanner page) is erased; scans still waiting for the server ("jobfair.checkin.queue.*")
  // stay until it has answered them (docs/checkin.md).
  if (document.body.hasAttribute("data-signed-out")) {
    try {
      const keys = [];
      for (let i = 0; i < window.localStorage.length; i++) {
        const key = window.localStorage.key(i);
        if (key && key.startsWith("jobfair.door.")) keys.push(key);
      }
      keys.forEach((key) => window.localStorage.removeItem(key));
    } catch (error) { /* no storage: nothing kept */ }
    if (window.caches) {
      window.caches.keys().then((names) => names.filter((name) => name.startsWith("jobfair-door"))
        .forEach((name) => window.caches.delete(name))).catch(() => null);
    }
  }
})();
