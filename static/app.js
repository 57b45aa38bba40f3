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

// ---- improvement_work: the board (tavle) ----
// Cards move by drag and drop (SortableJS) as well as by their buttons; a drop becomes the
// same small HTMX request as a button press. The server answers with the card in the column
// where it really is (also when the move is refused) plus the column counts.
(function () {
  "use strict";

  function filterValues() {
    var values = {};
    var form = document.getElementById("board-filters");
    if (form) {
      new FormData(form).forEach(function (value, key) { values[key] = value; });
    }
    return values;
  }

  function initBoard(root) {
    if (!window.Sortable || !root.querySelectorAll) {
      return;
    }
    root.querySelectorAll(".board[data-sortable] .cards").forEach(function (list) {
      if (list.dataset.sortableReady) {
        return;
      }
      list.dataset.sortableReady = "1";
      window.Sortable.create(list, {
        group: "pdsa-board",
        animation: 120,
        filter: "button, a, select",
        preventOnFilter: false,
        onEnd: function (event) {
          if (event.from === event.to) {
            return;
          }
          var card = event.item;
          var values = filterValues();
          values.to = event.to.dataset.phase;
          values.version = card.dataset.version;
          window.htmx.ajax("POST", card.dataset.moveUrl, {
            source: card, target: card, swap: "outerHTML", values: values
          });
        }
      });
    });
  }

  // After a move, keyboard users keep their place: focus goes to the moved card's button
  // in the same direction (or its other button, or its title).
  var lastDirection = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    lastDirection = elt && elt.closest && elt.closest(".card-moves") ?
      (elt.classList.contains("outline") ? "back" : "forward") : null;
  });

  function focusMovedCard() {
    var card = document.querySelector(".card[data-just-moved]");
    if (!card) {
      return;
    }
    card.removeAttribute("data-just-moved");
    if (!lastDirection) {
      return;
    }
    var buttons = card.querySelectorAll(".card-moves button");
    var preferred = lastDirection === "back" ? card.querySelector(".card-moves button.outline") :
      card.querySelector(".card-moves button:not(.outline)");
    var target = preferred || buttons[0] || card.querySelector(".card-title a");
    if (target) {
      target.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () { initBoard(document); });
  document.addEventListener("htmx:afterSettle", function () {
    initBoard(document);
    focusMovedCard();
  });
})();
