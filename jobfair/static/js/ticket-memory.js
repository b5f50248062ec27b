// Included by the ticket page: remembers the ticket's token on this phone, so that the
// venue poster's self check-in and "apply" on the event page work with one tap.
// <script src=".../ticket-memory.js" data-event-id="7" data-token="..." defer></script>
(function () {
  "use strict";
  const script = document.currentScript;
  if (!script || !script.dataset.eventId || !script.dataset.token) return;
  try {
    const tickets = JSON.parse(window.localStorage.getItem("jobfair.tickets") || "{}") || {};
    tickets[script.dataset.eventId] = script.dataset.token;
    window.localStorage.setItem("jobfair.tickets", JSON.stringify(tickets));
  } catch (error) { /* private mode: phone + birth date still work */ }
})();
