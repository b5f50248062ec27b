// A job running on the job runner (an import's check, say): polls its status, moves
// the progress bar, and reloads the page, which then shows the result, once it ends.
// Without JavaScript the page refreshes itself (<noscript> meta refresh).
(function () {
  "use strict";

  const box = document.querySelector("[data-job-status]");
  if (!box) return;
  const bar = box.querySelector("progress");
  const text = box.querySelector(".job-message");

  function later(seconds) {
    window.setTimeout(poll, seconds * 1000);
  }

  function show(status) {
    if (status.total) {
      bar.max = status.total;
      bar.value = status.done;
      bar.textContent = status.percent + "%";
    }
    if (status.message) text.textContent = status.message;
  }

  function poll() {
    fetch(box.dataset.jobStatus, { credentials: "same-origin",
                                   headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((status) => {
        if (!status) return later(5);
        if (status.finished) return window.location.reload();
        show(status);
        return later(1);
      })
      .catch(() => later(5));
  }

  later(0.5);
})();
