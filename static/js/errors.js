// A failed htmx request shows its message inside the page, in the page's own layout.
// htmx leaves 4xx/5xx (other than form errors, 400/422, swapped in place) unswapped; the
// message comes from the error page's [data-error-message] (templates/403.html, 404.html,
// 500.html), else from the status. django-htmx's debug handler, which replaces the whole
// document, is deliberately not loaded (see base.html).
(function () {
  "use strict";

  var FALLBACK = {
    0: "The server could not be reached. Check the connection and try again.",
    403: "Your account does not have permission to do that.",
    404: "That is no longer there: it may have been deleted. Reload the page.",
    413: "That was too large for the server to accept.",
    429: "Too many requests: wait a moment and try again.",
    500: "Something went wrong on the server; it has been logged. Try again.",
    502: "The server is restarting or unreachable. Try again in a moment.",
    503: "The server is restarting or unreachable. Try again in a moment.",
  };

  function messageFrom(xhr) {
    var text = "";
    if (xhr && xhr.responseText && /html/.test(xhr.getResponseHeader("Content-Type") || "")) {
      var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var node = doc.querySelector("[data-error-message]");
      if (node) text = node.textContent.replace(/\s+/g, " ").trim();
    }
    var status = xhr ? xhr.status : 0;
    return text || FALLBACK[status] || "The request failed (HTTP " + status + "). Try again.";
  }

  function show(message) {
    var box = document.getElementById("page-errors");
    if (!box) return;
    var item = document.createElement("li");
    item.className = "message message-error";
    var text = document.createElement("span");
    text.textContent = message;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "dismiss";
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "×";
    close.addEventListener("click", function () { item.remove(); });
    item.append(text, close);
    box.replaceChildren(item);  // the latest failure only; the box sticks to the top
  }

  document.addEventListener("htmx:responseError", function (event) {
    show(messageFrom(event.detail.xhr));
  });
  document.addEventListener("htmx:sendError", function () {
    show(FALLBACK[0]);
  });
  document.addEventListener("htmx:beforeRequest", function () {
    var box = document.getElementById("page-errors");
    if (box) box.replaceChildren();
  });
})();
