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

// ---- cases: the keyboard-first rating grid (kvalitet i kerneelementer) ----
(function () {
  "use strict";

  function grid(el) {
    return el.closest && el.closest("[data-rating-grid]");
  }

  function cellInput(table, row, col) {
    return table.querySelector('.rating-input[data-row="' + row + '"][data-col="' + col + '"]');
  }

  function setState(input, state, text) {
    var box = document.getElementById("state-" + input.dataset.phase + "-" + input.dataset.element);
    if (!box) {
      return;
    }
    box.className = "cell-state " + state;
    box.textContent = text;
    if (state === "failed") {
      box.setAttribute("role", "alert");
    } else {
      box.removeAttribute("role");
    }
  }

  function paint(input) {
    var td = input.closest("td");
    var value = input.value;
    td.className = td.className.replace(/\bscore-\S+/g, "").trim() + " score-" + (/^[1-5]$/.test(value) ? value : "none");
  }

  function openComment(input) {
    var form = document.getElementById("comment-form");
    if (!form) {
      return;
    }
    form.querySelector("[name=phase_id]").value = input.dataset.phase;
    form.querySelector("[name=core_element_id]").value = input.dataset.element;
    form.querySelector("[name=score]").value = "";
    var text = form.querySelector("textarea[name=comment]");
    text.value = input.dataset.comment || "";
    text.focus();
  }

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("rating-input")) {
      return;
    }
    var table = grid(input);
    var row = parseInt(input.dataset.row, 10);
    var col = parseInt(input.dataset.col, 10);
    var moves = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
    if (moves[event.key]) {
      var next = cellInput(table, row + moves[event.key][0], col + moves[event.key][1]);
      event.preventDefault();
      if (next) {
        next.focus();
        next.select();
      }
      return;
    }
    if (/^[1-5]$/.test(event.key)) {
      event.preventDefault();
      if (input.value !== event.key) {
        input.value = event.key;
        paint(input);
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
      input.select();
      return;
    }
    if (event.key === "c" || event.key === "C") {
      event.preventDefault();
      openComment(input);
      return;
    }
    // Anything else that would type a character is not a rating: say so, change nothing.
    if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      setState(input, "failed", input.closest("table").dataset.scaleHint || "1–5");
    }
  });

  // Focus selects the cell's digit, so typing replaces it.
  document.addEventListener("focusin", function (event) {
    if (event.target.classList && event.target.classList.contains("rating-input")) {
      event.target.select();
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var input = event.detail.elt;
    if (input.classList && input.classList.contains("rating-input")) {
      setState(input, "saving", input.closest("table").dataset.savingText || "…");
    }
  });

  // Did the server answer into the cell's own state box (saved, or refused with a reason)?
  document.addEventListener("htmx:afterSwap", function (event) {
    var input = event.detail.requestConfig ? event.detail.requestConfig.elt : event.detail.elt;
    var target = event.detail.target;
    if (input.classList && input.classList.contains("rating-input") && target && target.classList && target.classList.contains("cell-state")) {
      input.dataset.answered = "1";
    }
  });

  // A failed request that was not answered into the cell (403, 500, no network) marks the cell.
  document.addEventListener("htmx:afterRequest", function (event) {
    var input = event.detail.elt;
    if (!input.classList || !input.classList.contains("rating-input")) {
      return;
    }
    var xhr = event.detail.xhr;
    var bad = !event.detail.successful || !xhr || xhr.status === 0 || xhr.status >= 400;
    if (bad && input.dataset.answered !== "1") {
      setState(input, "failed", input.closest("table").dataset.failedText || "✗");
    }
    delete input.dataset.answered;
  });
})();

// ---- cases: trend per quarter as a line chart (data in data-trend-chart, numbers also in a table) ----
(function () {
  "use strict";
  var COLOURS = ["#1f5f8b", "#b5541c", "#2e7d4f", "#7b3f9e", "#8a6d00", "#4d565e"];
  var DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3], [1, 1], [12, 6]];

  function draw(root) {
    if (typeof window.Chart === "undefined") {
      return;
    }
    (root.querySelectorAll ? root : document).querySelectorAll("canvas[data-trend-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) {
        return;
      }
      canvas.dataset.drawn = "1";
      var spec = JSON.parse(canvas.dataset.trendChart);
      spec.datasets.forEach(function (set, i) {
        // Colour and dash pattern together, so the lines differ without colour vision too.
        set.borderColor = COLOURS[i % COLOURS.length];
        set.backgroundColor = COLOURS[i % COLOURS.length];
        set.borderDash = DASHES[i % DASHES.length];
        set.spanGaps = false;
        set.tension = 0;
        set.pointRadius = 4;
      });
      new window.Chart(canvas, {
        type: "line",
        data: { labels: spec.labels, datasets: spec.datasets },
        options: {
          animation: false,
          maintainAspectRatio: false,
          scales: { y: { min: 1, max: 5, ticks: { stepSize: 1 }, title: { display: true, text: spec.yLabel } } },
          plugins: { legend: { position: "bottom" } }
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (event) { draw(event.detail.target); });
})();
