// Occupation pickers (<input data-occupation-picker list="occupation-list">): as the
// person types, a list below the field shows what /occupations/search.json finds,
// accents ignored ("may mac" finds "may mặc"); a tap fills the field. Without this
// script the browser's own list (the <datalist>) still works.
(function () {
  "use strict";
  document.querySelectorAll("input[data-occupation-picker]").forEach((input) => {
    input.removeAttribute("list"); // the browser's list would filter our answers away
    const box = document.createElement("ul");
    box.className = "occupation-suggestions";
    box.hidden = true;
    input.after(box);
    let request = 0;
    input.addEventListener("input", () => {
      const query = input.value.trim();
      const mine = ++request;
      if (query.length < 2 || /^\d+ – /.test(query)) {
        box.hidden = true;
        return;
      }
      fetch(`/occupations/search.json?q=${encodeURIComponent(query)}`)
        .then((response) => (response.ok ? response.json() : []))
        .catch(() => [])
        .then((found) => {
          if (mine !== request) return;
          box.replaceChildren(...found.slice(0, 8).map((item) => {
            const entry = document.createElement("li");
            const button = document.createElement("button");
            button.type = "button";
            button.className = "secondary outline";
            button.textContent = item.label;
            button.addEventListener("click", () => {
              input.value = item.label;
              box.hidden = true;
              input.focus();
            });
            entry.append(button);
            return entry;
          }));
          box.hidden = found.length === 0;
        });
    });
  });
})();
