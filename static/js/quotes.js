// Article page: clicking a marked quote opens its speaker picker, as its chip does.
document.addEventListener("click", (event) => {
  const quote = event.target.closest("[data-quote]");
  if (!quote || event.target.closest("a, button")) return;
  const chip = document.getElementById(quote.dataset.quote);
  if (chip && chip.tagName === "A") chip.click();
});

// The picker's Cancel closes it in place (without JavaScript it goes back to the article).
document.addEventListener("click", (event) => {
  const cancel = event.target.closest("[data-dismiss-speaker], [data-dismiss-slot]");
  const slot = cancel && cancel.closest(".speaker-slot, .sentence-slot");
  if (!slot) return;
  event.preventDefault();
  slot.replaceChildren();
});

// Article page: clicking a marked sentence opens the one-sentence picker with it chosen.
document.addEventListener("click", (event) => {
  const sentence = event.target.closest(".op-sentence, .news-sentence");
  if (!sentence || event.target.closest("a, button, [data-quote]")) return;
  const item = sentence.closest("[data-labelable]");
  const link = item && item.querySelector(".sentence-mark a");
  if (!link) return;
  // The sentence's offset in the paragraph's text: the characters before it, less the
  // speaker chips the page adds after quotes.
  const walker = document.createTreeWalker(sentence.closest("p"), NodeFilter.SHOW_TEXT);
  let offset = 0;
  while (walker.nextNode() && !sentence.contains(walker.currentNode)) {
    if (!walker.currentNode.parentElement.closest(".speaker-chip")) {
      offset += walker.currentNode.length;
    }
  }
  const url = link.getAttribute("href") + "?start=" + offset;
  htmx.ajax("GET", url, { target: link.getAttribute("hx-target"), swap: "innerHTML" });
});

// The one-sentence picker takes the focus when it opens, on the sentence chosen, so that the
// arrow keys choose another and Tab reaches the news and opinion buttons.
document.body.addEventListener("htmx:afterSettle", (event) => {
  const slot = event.detail.target;
  if (!slot || !slot.classList || !slot.classList.contains("sentence-slot")) return;
  const radio = slot.querySelector("input[name=sentence]:checked") || slot.querySelector("button");
  if (radio) radio.focus({ preventScroll: true });
});
