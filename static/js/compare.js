// Compare on a narrow screen: one piece at a time, switched by the tabs above the pieces
// (or h/l, see keys.js); an alignment link to a paragraph of another piece switches to it
// first. On wide screens the pieces stand side by side and the tabs are hidden (app.css).
(function () {
  "use strict";

  function root() {
    return document.getElementById("columns");
  }

  function show(index) {
    var columns = root();
    if (!columns) return;
    columns.dataset.showing = index;
    columns.querySelectorAll("[data-piece]").forEach(function (element) {
      element.classList.toggle("is-shown", element.dataset.piece === String(index));
    });
    columns.querySelectorAll("[data-piece-tab]").forEach(function (tab) {
      tab.setAttribute("aria-pressed", String(tab.dataset.pieceTab === String(index)));
    });
  }

  function init() {
    var columns = root();
    if (!columns || !columns.querySelector("[data-piece-tab]")) return;
    columns.classList.add("has-tabs");
    var first = columns.querySelector("[data-piece-tab]").dataset.pieceTab;
    var current = columns.querySelector('[data-piece-tab="' + columns.dataset.showing + '"]');
    show(current ? columns.dataset.showing : first);
  }

  document.addEventListener("click", function (event) {
    var tab = event.target.closest("[data-piece-tab]");
    if (tab) {
      show(tab.dataset.pieceTab);
      return;
    }
    var link = event.target.closest(".align-link");
    var target = link && document.getElementById(link.hash.slice(1));
    var piece = target && target.closest("[data-piece]");
    if (!piece) return;
    event.preventDefault();
    show(piece.dataset.piece);
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
    history.replaceState(null, "", link.hash);
  });

  document.addEventListener("stance:show-column", function (event) {
    show(event.detail.column.dataset.piece);
  });
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSettle", init);
})();
