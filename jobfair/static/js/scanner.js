// The scanner page (staff at the door) and the booth scanner (employers): reads QR codes
// from the rear camera with the vendored qr-scanner, posts each new code to the API and
// shows the answer full screen, with a vibration and a beep. At the door, scans made
// without network are queued on the phone and sent when the connection returns.
(function () {
  "use strict";

  const root = document.getElementById("scanner");
  if (!root) return;
  const mode = root.dataset.mode; // "door" or "booth"
  const label = (name) => root.dataset[name] || "";
  const eventId = root.dataset.eventId;
  const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  const video = document.getElementById("scanner-video");
  const resultBox = document.getElementById("scan-result");
  const cameraMessage = document.getElementById("camera-message");
  const torchButton = document.getElementById("torch");
  const startButton = document.getElementById("camera-start");
  const REPEAT_GAP_MS = 1500; // the same code, still in view, is not sent again
  const FLUSH_EVERY_MS = 5000;
  const SYNC_EVERY_MS = 60000;
  const FULL_SYNC_EVERY_MS = 30 * 60000; // names, undone check-ins: everything again
  const ANSWER_WAIT_MS = 2500; // then the phone answers alone (the scan keeps its nonce)
  // What this phone keeps to decide alone (door-data.js); null at a booth.
  const store = mode === "door" && window.JobfairDoor ? new window.JobfairDoor.Store(eventId, root.dataset.doorKey)
    : null;
  let serverDown = false; // the last request failed: answer offline at once

  // --- device identity and counters ---------------------------------------------------
  function deviceId() {
    let id = window.localStorage.getItem("jobfair.device");
    if (!id) {
      id = window.JobfairNonce().slice(0, 16);
      window.localStorage.setItem("jobfair.device", id);
    }
    return id;
  }
  const deviceCountKey = `jobfair.checkin.device-count.${eventId}`;
  function setText(id, value) {
    const element = document.getElementById(id);
    if (element) element.textContent = value;
  }
  function showDeviceCount() { setText("count-device", window.localStorage.getItem(deviceCountKey) || "0"); }
  function bumpCounts() {
    const count = Number(window.localStorage.getItem(deviceCountKey) || "0") + 1;
    window.localStorage.setItem(deviceCountKey, String(count));
    showDeviceCount();
    const checked = document.getElementById("count-checked");
    if (checked) checked.textContent = String(Number(checked.textContent || "0") + 1);
  }

  // --- feedback: colour, vibration, sound ---------------------------------------------
  let audio = null;
  function unlockAudio() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state === "suspended") audio.resume();
    } catch (error) { audio = null; }
  }
  function beep(kind) {
    if (!audio) return;
    try {
      const tones = { ok: [880], warn: [440, 440], bad: [220, 220, 220], pending: [660] }[kind];
      tones.forEach((frequency, index) => {
        const oscillator = audio.createOscillator();
        const gain = audio.createGain();
        oscillator.frequency.value = frequency;
        gain.gain.value = 0.2;
        oscillator.connect(gain).connect(audio.destination);
        const start = audio.currentTime + index * 0.18;
        oscillator.start(start);
        oscillator.stop(start + 0.12);
      });
    } catch (error) { /* no sound is not a failure */ }
  }
  function vibrate(kind) {
    if (!navigator.vibrate) return;
    navigator.vibrate(kind === "ok" ? 150 : kind === "pending" ? 80 : [120, 80, 120, 80, 120]);
  }

  let hideTimer = null;
  function show(kind, result, title, detail, offline) {
    hideCounselling();
    resultBox.className = `scan-result result-${kind}`;
    resultBox.dataset.result = result;
    if (offline) resultBox.dataset.offline = "1";
    else delete resultBox.dataset.offline;
    resultBox.querySelector(".scan-result-title").textContent = title;
    resultBox.querySelector(".scan-result-detail").textContent = detail || "";
    resultBox.hidden = false;
    vibrate(kind);
    beep(kind);
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(hide, kind === "ok" ? 2500 : 4000);
    return { kind, result, title, offline: Boolean(offline) };
  }
  function hide() {
    resultBox.hidden = true;
    window.clearTimeout(hideTimer);
  }
  resultBox.addEventListener("click", hide);

  function kindOf(result) {
    if (result === "ok") return "ok";
    if (result === "already_checked_in") return "warn";
    return "bad";
  }
  function describe(registration) {
    if (!registration) return "";
    const parts = [registration.full_name];
    if (registration.age !== undefined) parts.push(`${label("labelAge")} ${registration.age}`);
    if (registration.ward) parts.push(registration.ward);
    return parts.join(" · ");
  }

  // --- talking to the server ----------------------------------------------------------
  class NetworkError extends Error {}

  function post(url, body, method) {
    const controller = new AbortController();
    const timer = window.setTimeout(() => controller.abort(), 8000);
    return fetch(url, {
      method: method || "POST",
      credentials: "same-origin",
      signal: controller.signal,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken, Accept: "application/json" },
      body: JSON.stringify(body),
    }).catch(() => { throw new NetworkError(); })
      .then((response) => {
        window.clearTimeout(timer);
        if (response.status >= 500) throw new NetworkError();
        return response.json().catch(() => ({})).then((data) => ({ status: response.status, data }));
      });
  }

  // --- at the door --------------------------------------------------------------------
  function updatePending() {
    if (mode !== "door") return;
    const count = window.JobfairQueue.count(eventId);
    const badge = document.getElementById("pending");
    setText("pending-count", String(count));
    if (badge) badge.hidden = count === 0;
  }

  // --- one tap after a green or amber scan: the person was counselled on a topic -------
  const counsel = mode === "door" ? document.getElementById("counsel-actions") : null;
  let counselledId = null;
  function hideCounselling() {
    if (!counsel) return;
    counsel.hidden = true;
    counselledId = null;
  }
  function offerCounselling(registration) {
    if (!counsel || !registration || !registration.id) return;
    counselledId = registration.id;
    counsel.querySelector(".counsel-answer").textContent = "";
    counsel.querySelectorAll("button[data-topic]").forEach((button) => {
      button.disabled = false;
      button.setAttribute("aria-pressed", "false");
    });
    counsel.querySelector(".counsel-desk").href =
      counsel.dataset.deskUrl.replace(/\/0$/, `/${registration.id}`);
    counsel.hidden = false;
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(hide, 8000); // time to tap a topic
  }
  if (counsel) {
    resultBox.append(counsel);
    counsel.addEventListener("click", (event) => {
      event.stopPropagation(); // a tap here is not "scan the next person"
      const button = event.target.closest("button[data-topic]");
      if (!button || counselledId === null) return;
      window.clearTimeout(hideTimer);
      button.disabled = true;
      const answer = counsel.querySelector(".counsel-answer");
      post(counsel.dataset.url, { registration_id: counselledId, topic: button.dataset.topic })
        .then((reply) => {
          const error = reply.data.error;
          answer.textContent = error ? (error.message || label("labelError")) : reply.data.message;
          if (!error) button.setAttribute("aria-pressed", "true");
          else button.disabled = false;
        }, () => { answer.textContent = label("labelError"); button.disabled = false; })
        .finally(() => { hideTimer = window.setTimeout(hide, 6000); });
    });
  }

  function answerDoor(reply, item) {
    if (reply.status === 200) {
      const answer = reply.data;
      if (store && item && item.token && ["ok", "already_checked_in"].includes(answer.result)) {
        store.markSeen(item.token, answer.checked_in_at || item.scanned_at);
      }
      const title = answer.result === "ok" ? label("labelCheckedIn") : answer.message;
      if (answer.result === "ok") bumpCounts();
      const shown = show(kindOf(answer.result), answer.result, title, describe(answer.registration));
      if (shown.kind === "ok" || shown.kind === "warn") offerCounselling(answer.registration);
      return shown;
    }
    const error = reply.data.error || {};
    return show("bad", error.code || "error", error.message || label("labelError"), "");
  }

  function submitDoor(payload) {
    const item = Object.assign({ nonce: window.JobfairNonce(), scanned_at: new Date().toISOString(),
      device_id: deviceId() }, payload);
    if (navigator.onLine === false || serverDown) return Promise.resolve(decideOffline(item));
    // The server's answer, or the phone's own after ANSWER_WAIT_MS (a late answer of the
    // server is the same as the queued scan's: one nonce, one answer).
    const waited = new Promise((resolve) => window.setTimeout(() => resolve("late"), ANSWER_WAIT_MS));
    const answered = post(root.dataset.checkinUrl, item).then((reply) => {
      serverDown = false;
      return reply;
    }, (error) => {
      if (error instanceof NetworkError) {
        serverDown = true;
        return "down";
      }
      return "error";
    });
    return Promise.race([answered, waited]).then((reply) => {
      if (reply === "late" || reply === "down") return decideOffline(item);
      if (reply === "error") return show("bad", "error", label("labelError"), "");
      return answerDoor(reply, item);
    });
  }

  // --- offline: the phone decides alone ----------------------------------------------
  function hhmm(at) {
    const moment = at ? new Date(at) : null;
    if (!moment || Number.isNaN(moment.getTime())) return "";
    return moment.toLocaleTimeString(document.documentElement.lang || "vi", { hour: "2-digit",
      minute: "2-digit", hour12: false, timeZone: "Asia/Ho_Chi_Minh" });
  }

  function decideOffline(item) {
    if (!item.token || !store) {
      // A manual check-in from the search (no token) cannot be decided here: queued.
      item.offline_result = "unverified";
      window.JobfairQueue.add(eventId, item);
      updatePending();
      return show("pending", "pending", label("labelQueuedTitle"), label("labelQueued"), true);
    }
    const decision = store.decide(item.token, item.scanned_at);
    item.offline_result = decision.result;
    window.JobfairQueue.add(eventId, item);
    updatePending();
    const who = decision.person ? describe(decision.person) : "";
    if (decision.result === "ok") {
      bumpCounts();
      return show("ok", "ok", label("labelOfflineOk"), who, true);
    }
    if (decision.result === "already_checked_in") {
      const title = label("labelOfflineAgain").replace("%(time)s", hhmm(decision.at));
      return show("warn", "already_checked_in", title, who, true);
    }
    if (decision.result === "revoked") {
      return show("bad", "revoked", label("labelOfflineRevoked"), "", true);
    }
    if (decision.result === "unknown") {
      return show("bad", "unknown", label("labelOfflineUnknown"), "", true);
    }
    return show("warn", "unverified", label("labelOfflineUnverified"), label("labelOfflineUnverifiedDetail"), true);
  }

  // --- conflicts: let in offline here, refused by the server --------------------------
  const conflictKey = `jobfair.door.conflicts.${eventId}`;
  function conflicts() {
    try { return JSON.parse(window.localStorage.getItem(conflictKey) || "[]"); } catch (error) { return []; }
  }
  function showConflicts() {
    const box = document.getElementById("conflicts");
    if (!box) return;
    const items = conflicts();
    box.hidden = items.length === 0;
    const list = document.getElementById("conflict-list");
    list.replaceChildren(...items.map((conflict) => {
      const row = document.createElement("li");
      const name = document.createElement("strong");
      name.textContent = conflict.name || "—";
      row.append(name, ` · ${label("labelConflictLetIn").replace("%(time)s", hhmm(conflict.at))} · `,
        conflict.message);
      return row;
    }));
  }
  function addConflict(item, answer) {
    const items = conflicts();
    items.unshift({ at: item.scanned_at, message: answer.message || answer.result,
      name: answer.registration ? answer.registration.full_name : "" });
    try { window.localStorage.setItem(conflictKey, JSON.stringify(items.slice(0, 50))); } catch (error) { /* full */ }
    showConflicts();
  }

  // --- what the phone keeps: sync in the background ---------------------------------
  let syncing = false;
  function sync() {
    if (!store || syncing || navigator.onLine === false) return Promise.resolve();
    syncing = true;
    const meta = store.meta;
    const full = !meta || Date.now() - (meta.fullAt || 0) > FULL_SYNC_EVERY_MS;
    const url = root.dataset.doorDataUrl + (full ? "" : `?since=${encodeURIComponent(meta.cursor)}`);
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((answer) => {
        serverDown = false;
        if (!answer) return;
        store.apply(answer);
        showFreshness();
        flush();
      }, () => { serverDown = true; })
      .finally(() => { syncing = false; });
  }

  function showFreshness() {
    const element = document.getElementById("door-freshness");
    if (!element || !store) return;
    const meta = store.meta;
    if (!meta) {
      element.textContent = label("labelNotSynced");
      delete element.dataset.count;
      return;
    }
    const lang = document.documentElement.lang || "vi";
    const minutes = Math.round((Date.now() - meta.syncedAt) / 60000);
    let when;
    try {
      const relative = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
      when = minutes < 60 ? relative.format(-minutes, "minute")
        : relative.format(-Math.round(minutes / 60), "hour");
    } catch (error) {
      when = `${minutes} min`;
    }
    element.textContent = label("labelSynced").replace("%(when)s", when)
      .replace("%(count)s", new Intl.NumberFormat(lang).format(meta.count));
    element.dataset.count = String(meta.count);
  }

  // --- works without network after a reload: the service worker ----------------------
  function keepPageOnPhone() {
    if (!("serviceWorker" in navigator) || !root.dataset.serviceWorker || !window.caches) return;
    navigator.serviceWorker.register(root.dataset.serviceWorker, { scope: root.dataset.serviceWorkerScope })
      .catch(() => null);
    // This visit's page and files: the service worker takes over from the next one.
    const files = Array.from(document.querySelectorAll("script[src], link[rel=stylesheet], link[rel=icon]"))
      .map((element) => element.src || element.href);
    const qr = document.querySelector("script[src*='qr-scanner']");
    if (qr) files.push(new URL("qr-scanner-worker.min.js", qr.src).href);
    window.caches.open("jobfair-door-static").then((cache) => cache.addAll(files)).catch(() => null);
    window.caches.open("jobfair-door-pages").then((cache) => cache.add(window.location.href)).catch(() => null);
  }

  let flushing = false;
  function flush() {
    if (mode !== "door" || flushing || navigator.onLine === false) return;
    const items = window.JobfairQueue.all(eventId);
    if (!items.length) {
      if (serverDown) sync(); // is it back?
      return;
    }
    flushing = true;
    items.reduce((chain, item) => chain.then(() => post(root.dataset.checkinUrl, item).then((reply) => {
      // An answer about the scan (even a refusal) settles it. Signed out, an expired form
      // or too many requests: keep it, and stop until the next try.
      if ([400, 401, 429].includes(reply.status)) throw new Error("kept");
      serverDown = false;
      window.JobfairQueue.remove(eventId, item.nonce);
      if (reply.status === 200) {
        // The server's answer wins; "ok" on the phone and another answer here is a conflict.
        if (reply.data.result === "ok" && item.offline_result !== "ok") bumpCounts();
        if (item.offline_result === "ok" && reply.data.result !== "ok") addConflict(item, reply.data);
      }
      updatePending();
    }, (error) => {
      if (error instanceof NetworkError) serverDown = true;
      throw error;
    })), Promise.resolve()).catch(() => null).then(() => {
      flushing = false;
      updatePending();
    });
  }

  function refreshCounts() {
    if (mode !== "door" || navigator.onLine === false) return;
    fetch(root.dataset.liveUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((figures) => {
        if (!figures) return;
        setText("count-checked", String(figures.checked_in));
        setText("count-registered", String(figures.registered));
      }).catch(() => null);
  }

  // --- at a booth ---------------------------------------------------------------------
  function submitBooth(payload) {
    return post(root.dataset.checkinUrl, { token: payload.token }).then((reply) => {
      if (reply.status !== 200) {
        const error = reply.data.error || {};
        show("bad", error.code || "error", error.message || label("labelError"), "");
        return;
      }
      const visitor = reply.data;
      show(visitor.is_new ? "ok" : "warn", visitor.is_new ? "new" : "again",
        visitor.is_new ? label("labelNew") : label("labelAgain"), visitor.full_name);
      if (visitor.is_new) {
        const counter = document.getElementById("count-checked");
        if (counter) counter.textContent = String(Number(counter.textContent || "0") + 1);
      }
      document.getElementById("visitor").hidden = false;
      setText("visitor-name", visitor.full_name);
      setText("visitor-phone", visitor.phone);
      setText("visitor-birth-year", String(visitor.birth_year));
      setText("visitor-qualification", visitor.qualification);
      setText("visitor-occupation", visitor.desired_occupation || "—");
      const form = document.getElementById("visitor-form");
      form.action = root.dataset.visitUrl.replace(/\/0$/, `/${visitor.visit_id}`) + "?back=scan";
      form.elements.rating.value = visitor.rating ? String(visitor.rating) : "";
      form.elements.note.value = visitor.note || "";
      // The note and rating are what the employer does next: bring them into view (the
      // camera above takes most of a phone's screen).
      document.getElementById("visitor").scrollIntoView({ block: "start" });
    }, () => show("bad", "error", label("labelError"), ""));
  }

  // --- the camera ---------------------------------------------------------------------
  let lastText = null;
  let lastSeen = 0;
  let busy = false;
  function onCode(text) {
    const now = Date.now();
    if (text === lastText && now - lastSeen < REPEAT_GAP_MS) {
      lastSeen = now;
      return;
    }
    if (busy) return;
    lastText = text;
    lastSeen = now;
    busy = true;
    const submit = mode === "booth" ? submitBooth : submitDoor;
    submit({ token: text, method: "staff_scan" }).finally(() => { busy = false; });
  }

  let scanner = null;
  function startCamera() {
    unlockAudio();
    if (!window.QrScanner) return;
    if (!scanner) {
      scanner = new window.QrScanner(video, (result) => onCode(result.data || result), {
        preferredCamera: "environment", returnDetailedScanResult: true, maxScansPerSecond: 25,
        // The middle square of the picture, as the library's default, but never scaled
        // up to its 400 px canvas: a small camera picture decodes in a fraction of the time.
        calculateScanRegion: (videoElement) => {
          const size = Math.round((2 / 3) * Math.min(videoElement.videoWidth, videoElement.videoHeight));
          const scaled = Math.min(size, 400);
          return { x: Math.round((videoElement.videoWidth - size) / 2),
            y: Math.round((videoElement.videoHeight - size) / 2), width: size, height: size,
            downScaledWidth: scaled, downScaledHeight: scaled };
        },
        onDecodeError: () => null,
      });
      // Tickets are dark on light (the ticket page, print): not looking for light-on-dark
      // codes halves the work on every frame without a code.
      scanner.setInversionMode("original");
    }
    scanner.start().then(() => {
      cameraMessage.textContent = "";
      startButton.hidden = true;
      return scanner.hasFlash().then((hasFlash) => { torchButton.hidden = !hasFlash; });
    }).catch(() => {
      cameraMessage.textContent = label("labelCameraError");
      startButton.hidden = false;
    });
  }
  startButton.addEventListener("click", startCamera);
  torchButton.addEventListener("click", () => scanner && scanner.toggleFlash());
  document.addEventListener("click", unlockAudio, { once: true });

  // --- manual search ------------------------------------------------------------------
  const searchForm = document.getElementById("search-form");
  if (searchForm) {
    searchForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const list = document.getElementById("search-results");
      const query = document.getElementById("search-q").value.trim();
      fetch(`${root.dataset.searchUrl}?q=${encodeURIComponent(query)}`,
        { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => response.json())
        .then((data) => {
          list.replaceChildren();
          const items = data.items || [];
          if (!items.length) {
            const empty = document.createElement("li");
            empty.textContent = label("labelNone");
            list.append(empty);
          }
          items.forEach((item) => {
            const row = document.createElement("li");
            const text = document.createElement("span");
            text.textContent = `${item.full_name} · ${label("labelBorn")} ${item.birth_year}${item.ward ? " · " + item.ward : ""}`;
            const button = document.createElement("button");
            button.type = "button";
            button.className = "small";
            if (item.checked_in_at) {
              button.textContent = label("labelCheckedIn");
              button.classList.add("secondary");
            } else {
              button.textContent = label("labelCheckin");
            }
            // The row says what the server answered (or that the check-in only waits on
            // this phone), never a "Checked in" it did not say.
            const answer = document.createElement("span");
            answer.className = "search-answer";
            answer.hidden = true;
            button.addEventListener("click", () => {
              unlockAudio();
              button.disabled = true;
              submitDoor({ registration_id: item.id, method: "manual" }).then((shown) => {
                answer.className = `search-answer result-${shown.kind}`;
                answer.dataset.result = shown.result;
                answer.textContent = shown.title;
                answer.hidden = false;
                const done = shown.kind === "ok" || shown.kind === "warn";
                button.textContent = done ? label("labelCheckedIn") : label("labelCheckin");
                button.classList.toggle("secondary", done);
                button.disabled = shown.kind === "pending";
              }).finally(() => { if (!answer.dataset.result) button.disabled = false; });
            });
            row.append(text, " ", button, answer);
            list.append(row);
          });
        }).catch(() => show("bad", "error", label("labelError"), ""));
    });
  }

  // --- start --------------------------------------------------------------------------
  showDeviceCount();
  updatePending();
  if (store) {
    showFreshness();
    showConflicts();
    sync();
    window.setInterval(sync, SYNC_EVERY_MS);
    window.setInterval(showFreshness, 20000);
    keepPageOnPhone();
  }
  window.addEventListener("online", () => { sync(); flush(); });
  window.setInterval(flush, FLUSH_EVERY_MS);
  window.setInterval(refreshCounts, 30000);
  flush();
  startCamera();
})();
