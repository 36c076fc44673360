// Keyboard labelling: j/k move between paragraphs, n/o/c label (news, opinion, confirm),
// u undoes your last label there, s skips (in the review queue). Buttons carry the key
// in data-key; anything focusable with [data-labelable] is a paragraph.
(function () {
  "use strict";

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  function paragraphs() {
    return Array.from(document.querySelectorAll("[data-labelable]"));
  }

  function current() {
    var active = document.activeElement;
    return active ? active.closest("[data-labelable]") : null;
  }

  function move(step) {
    var all = paragraphs();
    if (!all.length) return;
    var index = all.indexOf(current());
    var next = all[Math.min(all.length - 1, Math.max(0, index + step))];
    if (index === -1) next = all[0];
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var key = event.key.toLowerCase();
    var queue = document.querySelector("[data-queue]");
    var scope = queue || current();
    var button = scope ? scope.querySelector('[data-key="' + key + '"]') : null;
    if (button) { button.click(); event.preventDefault(); return; }
    if (!queue && key === "j") { move(1); event.preventDefault(); }
    if (!queue && key === "k") { move(-1); event.preventDefault(); }
  });

  // A label swaps in the verdict in place: give focus back to its paragraph afterwards.
  var labelling = null;
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    labelling = event.detail.elt.closest("[data-labelable]");
  });
  document.body.addEventListener("htmx:afterSettle", function () {
    if (labelling && document.body.contains(labelling)) labelling.focus({ preventScroll: true });
    labelling = null;
  });
})();
