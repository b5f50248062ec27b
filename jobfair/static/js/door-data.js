// What the scanner keeps on this phone to decide alone when the network drops
// (docs/checkin.md): per event, a hash of each valid ticket with the name, age and ward
// the green screen shows, the revoked hashes, and the tickets this phone let in. Kept in
// localStorage under "jobfair.door.*"; erased when the event is closed or on a signed-out
// page (app.js). The queue of scans waiting for the server (offline-queue.js) is never
// erased here: it stays until the server has answered each scan.
(function () {
  "use strict";

  const PREFIX = "jobfair.door.";
  const TOKEN = /^[A-Z2-7]{36}$/;

  // --- SHA-256 (synchronous: the answer must not wait; crypto.subtle needs https) -----
  const K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2]);

  function sha256(bytes) {
    const length = bytes.length;
    const padded = new Uint8Array(((length + 9 + 63) >> 6) << 6);
    padded.set(bytes);
    padded[length] = 0x80;
    const view = new DataView(padded.buffer);
    view.setUint32(padded.length - 4, length * 8);
    view.setUint32(padded.length - 8, Math.floor(length / 0x20000000));
    const hash = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
    const w = new Uint32Array(64);
    const rotr = (x, n) => (x >>> n) | (x << (32 - n));
    for (let offset = 0; offset < padded.length; offset += 64) {
      for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4);
      for (let i = 16; i < 64; i++) {
        const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
        const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      let [a, b, c, d, e, f, g, h] = hash;
      for (let i = 0; i < 64; i++) {
        const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      [a, b, c, d, e, f, g, h].forEach((value, i) => { hash[i] = (hash[i] + value) | 0; });
    }
    const out = new Uint8Array(32);
    const outView = new DataView(out.buffer);
    hash.forEach((value, i) => outView.setUint32(i * 4, value));
    return out;
  }

  function hmac(key, message) {
    const block = new Uint8Array(64);
    block.set(key.length > 64 ? sha256(key) : key);
    const inner = new Uint8Array(64 + message.length);
    const outer = new Uint8Array(64 + 32);
    for (let i = 0; i < 64; i++) {
      inner[i] = block[i] ^ 0x36;
      outer[i] = block[i] ^ 0x5c;
    }
    inner.set(message, 64);
    outer.set(sha256(inner), 64);
    return sha256(outer);
  }

  function fromBase64url(text) {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  }

  function fromBase32(text) {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    const out = [];
    let bits = 0;
    let value = 0;
    for (const ch of text) {
      value = (value << 5) | alphabet.indexOf(ch);
      bits += 5;
      if (bits >= 8) {
        out.push((value >>> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return Uint8Array.from(out);
  }

  // Signed with the event's door key (jobfair/attendees/tokens.py): 16 random bytes,
  // then the first 6 bytes of their HMAC-SHA256.
  function isSignedFor(doorKey, token) {
    if (!doorKey) return false;
    const raw = fromBase32(token);
    const expected = hmac(fromBase64url(doorKey), raw.subarray(0, 16)).subarray(0, 6);
    return expected.every((byte, i) => byte === raw[16 + i]);
  }

  // base64url(SHA-256("<event id>:<token>")[:12]), as jobfair/checkin/offline.py
  function ticketHash(eventId, token) {
    const digest = sha256(new TextEncoder().encode(`${eventId}:${token}`)).subarray(0, 12);
    return btoa(String.fromCharCode(...digest)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // --- storage --------------------------------------------------------------------------
  function load(key, fallback) {
    try {
      const value = JSON.parse(window.localStorage.getItem(PREFIX + key));
      return value === null ? fallback : value;
    } catch (error) {
      return fallback;
    }
  }
  function save(key, value) {
    try {
      window.localStorage.setItem(PREFIX + key, JSON.stringify(value));
      return true;
    } catch (error) {
      return false; // full: the scans still go to the server
    }
  }

  // One event's data, kept in memory for the scan (a look-up is a Map.get).
  // `doorKey`: the event's door key, from the scanner page (kept with the page).
  function Store(eventId, doorKey) {
    this.eventId = String(eventId);
    this.doorKey = doorKey || null;
    const kept = load(`data.${this.eventId}`, null);
    this.meta = kept ? kept.meta : null; // {cursor, syncedAt, count, fullAt}
    this.tickets = new Map(kept ? kept.tickets : []); // hash → [name, age, ward, checkedInAt]
    this.revoked = new Set(kept ? kept.revoked : []);
    this.seen = new Map(load(`seen.${this.eventId}`, [])); // hash → time let in here
  }

  Store.prototype.persist = function () {
    save(`data.${this.eventId}`, { meta: this.meta, tickets: Array.from(this.tickets),
      revoked: Array.from(this.revoked) });
  };

  Store.prototype.apply = function (answer) {
    if (answer.closed) {
      this.erase();
      return;
    }
    if (answer.full) {
      this.tickets.clear();
      this.revoked.clear();
    }
    answer.tickets.forEach(([hash, name, age, ward, checkedInAt]) => {
      this.tickets.set(hash, [name, age, ward, checkedInAt]);
      this.revoked.delete(hash);
    });
    answer.revoked.forEach((hash) => {
      this.tickets.delete(hash);
      this.revoked.add(hash);
    });
    const now = Date.now();
    this.meta = { cursor: answer.cursor, syncedAt: now, count: answer.count,
      fullAt: answer.full ? now : (this.meta && this.meta.fullAt) || 0 };
    this.persist();
  };

  Store.prototype.erase = function () {
    this.meta = null;
    this.tickets.clear();
    this.revoked.clear();
    this.seen.clear();
    window.localStorage.removeItem(`${PREFIX}data.${this.eventId}`);
    window.localStorage.removeItem(`${PREFIX}seen.${this.eventId}`);
  };

  Store.prototype.markSeen = function (token, at) {
    const hash = ticketHash(this.eventId, token);
    if (!this.seen.has(hash)) {
      this.seen.set(hash, at);
      save(`seen.${this.eventId}`, Array.from(this.seen));
    }
  };

  // The offline answer to a scanned code, at once: {result, person, at}. result is ok,
  // already_checked_in, revoked, unknown, or unverified (a ticket this phone cannot know:
  // issued after the last sync, or of another event).
  Store.prototype.decide = function (text, at) {
    const token = String(text || "").trim().toUpperCase();
    if (!TOKEN.test(token)) return { result: "unknown" };
    const hash = ticketHash(this.eventId, token);
    if (this.revoked.has(hash)) return { result: "revoked" };
    const entry = this.tickets.get(hash);
    const person = entry ? { full_name: entry[0], age: entry[1], ward: entry[2] } : null;
    if (this.seen.has(hash)) return { result: "already_checked_in", person, at: this.seen.get(hash) };
    // Not synced: issued since the last sync (signed with the event's key), or not a
    // ticket of this event at all.
    if (!entry) {
      const maybeNew = !this.meta || isSignedFor(this.doorKey, token);
      return { result: maybeNew ? "unverified" : "unknown" };
    }
    if (entry[3]) return { result: "already_checked_in", person, at: entry[3] };
    this.seen.set(hash, at);
    save(`seen.${this.eventId}`, Array.from(this.seen));
    return { result: "ok", person };
  };

  window.JobfairDoor = { Store, ticketHash, sha256, hmac, isSignedFor };
})();
