// Article page: clicking a marked quote opens its speaker picker, as its chip does.
document.addEventListener("click", (event) => {
  const quote = event.target.closest("[data-quote]");
  if (!quote || event.target.closest("a, button")) return;
  const chip = document.getElementById(quote.dataset.quote);
  if (chip && chip.tagName === "A") chip.click();
});

// The picker's Cancel closes it in place (without JavaScript it goes back to the article).
document.addEventListener("click", (event) => {
  const cancel = event.target.closest("[data-dismiss-speaker]");
  const slot = cancel && cancel.closest(".speaker-slot");
  if (!slot) return;
  event.preventDefault();
  slot.replaceChildren();
});
