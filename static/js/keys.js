// Keyboard shortcuts (listed per page in stance/templatetags/shortcuts.py, shown by `?`).
// Paragraphs are [data-labelable]; buttons and links carry their key in data-key and act
// on the focused paragraph (or the review queue's one). On compare, j/k follow reading
// order across the pieces (top to bottom, left to right on a row) and h/l switch piece.
(function () {
  "use strict";

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  function visible(element) {
    return element.offsetParent !== null || element.getClientRects().length > 0;
  }

  function paragraphs() {
    return Array.from(document.querySelectorAll("[data-labelable]")).filter(visible);
  }

  function current() {
    var active = document.activeElement;
    return active ? active.closest("[data-labelable]") : null;
  }

  function column(element) {
    return element ? element.closest(".column") : null;
  }

  function readingOrder(all) {
    if (!document.querySelector(".columns .column")) return all;
    var placed = all.map(function (element) {
      var box = element.getBoundingClientRect();
      return { element: element, top: Math.round(box.top), left: box.left };
    });
    placed.sort(function (a, b) { return a.top - b.top || a.left - b.left; });
    return placed.map(function (item) { return item.element; });
  }

  function land(element) {
    if (!element) return;
    element.focus({ preventScroll: true });
    element.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  function move(step) {
    var all = readingOrder(paragraphs());
    if (!all.length) return;
    var index = all.indexOf(current());
    land(index === -1 ? all[0] : all[Math.min(all.length - 1, Math.max(0, index + step))]);
  }

  function switchColumn(step) {
    var columns = Array.from(document.querySelectorAll(".columns .column"));
    if (columns.length < 2) return;
    var here = current();
    var from = columns.indexOf(column(here));
    var target = columns[(Math.max(from, 0) + step + columns.length) % columns.length];
    document.dispatchEvent(new CustomEvent("stance:show-column", { detail: { column: target } }));
    var candidates = Array.from(target.querySelectorAll("[data-labelable]"));
    if (!candidates.length) return;
    var chosen = null;
    if (here) {  // the aligned counterpart first, else the paragraph nearest in height
      here.querySelectorAll(".align-link[href^='#']").forEach(function (link) {
        var match = document.getElementById(link.getAttribute("href").slice(1));
        if (!chosen && match && target.contains(match)) chosen = match.closest("[data-labelable]") || match;
      });
      if (!chosen) {
        var top = here.getBoundingClientRect().top;
        chosen = candidates.reduce(function (best, element) {
          var distance = Math.abs(element.getBoundingClientRect().top - top);
          return best === null || distance < best.distance ? { element: element, distance: distance } : best;
        }, null).element;
      }
    }
    land(chosen || candidates[0]);
  }

  function panel() {
    return document.getElementById("shortcuts");
  }

  function togglePanel() {
    var dialog = panel();
    if (!dialog) return;
    if (dialog.open) dialog.close(); else dialog.showModal();
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-close-dialog]")) event.target.closest("dialog").close();
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
      if (event.key === "Escape") {  // leave the field; keys work again on its paragraph
        var owner = event.target.closest("[data-labelable], [data-queue]");
        event.target.blur();
        if (owner && owner.hasAttribute("data-labelable")) owner.focus({ preventScroll: true });
        event.preventDefault();
      }
      return;
    }
    if (event.key === "?") { togglePanel(); event.preventDefault(); return; }
    if (panel() && panel().open) return;
    var key = event.key.length === 1 ? event.key.toLowerCase() : "";
    if (!key) return;
    var queue = document.querySelector("[data-queue]");
    var scope = queue || current();
    var target = scope ? scope.querySelector('[data-key="' + key + '"]') : null;
    if (target) {
      target.click();  // a <summary> (history) opens its <details> and loads it
      event.preventDefault();
      return;
    }
    if (queue) return;
    var steps = { j: [move, 1], k: [move, -1], l: [switchColumn, 1], h: [switchColumn, -1] };
    if (steps[key]) { steps[key][0](steps[key][1]); event.preventDefault(); }
  });

  // A link to paragraph N of a long article (#pN) that is on a later page: open that page.
  var wanted = /^#p(\d+)$/.exec(location.hash);
  var list = document.querySelector(".paragraphs[data-page-size]");
  if (wanted && list && !document.getElementById(location.hash.slice(1))) {
    var page = Math.ceil(Number(wanted[1]) / Number(list.dataset.pageSize));
    location.replace("?page=" + page + location.hash);
  }

  // A label swaps in the verdict in place: give focus back to its paragraph afterwards.
  var labelling = null;
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    labelling = event.detail.elt.closest("[data-labelable]");
  });
  // A swap that replaces the focused element (a poll bringing in finished columns) gives the
  // focus to the new element of the same id, so the keys go on working without a click.
  var focusedId = null;
  document.body.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    focusedId = active && active !== document.body && active.id ? active.id : null;
  });
  document.body.addEventListener("htmx:afterSettle", function () {
    var lost = !document.activeElement || document.activeElement === document.body;
    if (labelling && document.body.contains(labelling)) {
      labelling.focus({ preventScroll: true });
    } else if (lost && focusedId && document.getElementById(focusedId)) {
      document.getElementById(focusedId).focus({ preventScroll: true });
    }
    labelling = null;
    focusedId = null;
  });
})();
