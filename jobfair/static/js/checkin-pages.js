// Small behaviours of the check-in pages: print the venue poster; on the self check-in
// and apply pages, offer the ticket this phone remembers (see ticket-memory.js).
(function () {
  "use strict";

  const printButton = document.getElementById("print-poster");
  if (printButton) printButton.addEventListener("click", () => window.print());

  const page = document.querySelector(".arrive[data-event-id]");
  if (!page) return;
  let tickets = {};
  try { tickets = JSON.parse(window.localStorage.getItem("jobfair.tickets") || "{}") || {}; } catch (error) { tickets = {}; }
  const token = tickets[page.dataset.eventId];
  const remembered = document.getElementById("remembered-ticket");
  if (token && remembered) {
    document.getElementById("remembered-token").value = token;
    remembered.hidden = false;
  }
  document.querySelectorAll("input.fresh-nonce").forEach((input) => {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    input.value = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  });
})();
