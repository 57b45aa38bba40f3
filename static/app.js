// The project's own small script. No inline scripts anywhere, so a strict CSP stays possible.
(function () {
  "use strict";

  // Selects marked data-autosubmit submit their form on change (organisation switcher).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]")) {
      el.form.requestSubmit();
    }
  });

  // Plain (non-HTMX) forms that destroy or archive something ask first.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // When the server cannot be reached, say so where messages appear instead of failing silently.
  document.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("messages");
    if (box) {
      box.innerHTML = "";
      var p = document.createElement("p");
      p.className = "flash flash-error";
      p.setAttribute("role", "alert");
      p.textContent = document.body.dataset.offlineMessage || "Ingen forbindelse til serveren.";
      box.appendChild(p);
    }
  });

  // Move focus into a freshly swapped-in inline editor, for keyboard users.
  document.addEventListener("htmx:afterSwap", function (event) {
    var auto = event.detail.target.querySelector && event.detail.target.querySelector("[autofocus]");
    if (auto) {
      auto.focus();
    }
  });
})();
