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

// Excel exports: a plain download link, but when the file takes more than a second to
// prepare, say so. The server sets the cookie export_<token> when the file is sent.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-export]");
    if (!link) {
      return;
    }
    var token = Math.random().toString(36).slice(2, 12) + Date.now().toString(36);
    var url = new URL(link.href, window.location.href);
    url.searchParams.set("token", token);
    link.href = url.toString();
    var note = null;
    var timer = window.setTimeout(function () {
      note = document.createElement("p");
      note.className = "flash flash-info export-progress";
      note.setAttribute("role", "status");
      note.textContent = link.dataset.export;
      var box = document.getElementById("messages");
      if (box) {
        box.appendChild(note);
      }
    }, 1000);
    var poll = window.setInterval(function () {
      if (document.cookie.indexOf("export_" + token + "=") === -1) {
        return;
      }
      window.clearInterval(poll);
      window.clearTimeout(timer);
      document.cookie = "export_" + token + "=; Max-Age=0; path=/";
      if (note) {
        note.remove();
      }
    }, 250);
  });
})();
