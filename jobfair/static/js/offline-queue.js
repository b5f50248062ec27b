// Scans waiting on this phone for the network: kept in localStorage (per event) with
// their nonce and the time of the scan, so that a reload or a closed tab loses nothing.
(function () {
  "use strict";

  function key(eventId) { return `jobfair.checkin.queue.${eventId}`; }

  function read(eventId) {
    try {
      const items = JSON.parse(window.localStorage.getItem(key(eventId)) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (error) {
      return [];
    }
  }

  function write(eventId, items) {
    window.localStorage.setItem(key(eventId), JSON.stringify(items));
  }

  window.JobfairQueue = {
    all: read,
    count(eventId) { return read(eventId).length; },
    add(eventId, item) {
      const items = read(eventId).filter((queued) => queued.nonce !== item.nonce);
      items.push(item);
      write(eventId, items);
    },
    remove(eventId, nonce) {
      write(eventId, read(eventId).filter((queued) => queued.nonce !== nonce));
    },
  };

  // 128 random bits as hex: crypto.getRandomValues works on plain http too.
  window.JobfairNonce = function () {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  };
})();
