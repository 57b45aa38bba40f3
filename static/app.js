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

// --- assessments: radar and line charts of the self-assessment --------------------------
// A <canvas data-chart='{"type": "radar"|"line", "labels": [...], "datasets": [...]}'>
// is drawn with Chart.js (loaded by the page). Colours and point shapes differ per series,
// and every chart has a table with the same numbers beside it.
(function () {
  "use strict";
  var COLOURS = ["#1f5f8b", "#b3541e", "#2e7d32", "#6a1b9a", "#c62828", "#00838f",
    "#8d6e00", "#37474f", "#ad1457", "#4e5ba6", "#5d4037"];
  var SHAPES = ["circle", "rect", "triangle", "rectRot", "star", "crossRot", "rectRounded",
    "cross", "circle", "rect", "triangle"];
  var TRACK_COLOURS = { intervention: "#1f5f8b", organisation: "#7a4100" };

  function alpha(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + a + ")";
  }

  function config(spec) {
    var radar = spec.type === "radar";
    var datasets = spec.datasets.map(function (d, i) {
      var colour = COLOURS[i % COLOURS.length];
      return {
        label: d.label,
        data: d.data,
        borderColor: colour,
        backgroundColor: radar ? alpha(colour, 0.15) : colour,
        pointBackgroundColor: colour,
        pointStyle: SHAPES[i % SHAPES.length],
        pointRadius: radar ? 4 : 5,
        borderWidth: 2,
        borderDash: radar && i > 0 ? [6, 4] : (!radar && i >= 6 ? [6, 4] : []),
        fill: radar,
        spanGaps: true
      };
    });
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { position: "bottom", labels: { usePointStyle: true } } }
    };
    if (radar) {
      options.scales = {
        r: {
          min: 0, max: 100, ticks: { stepSize: 25, backdropColor: "rgba(255,255,255,0.8)" },
          pointLabels: {
            font: { size: 12, weight: "600" },
            color: function (ctx) {
              var track = spec.tracks && spec.tracks[ctx.index];
              return TRACK_COLOURS[track] || "#2b3a45";
            }
          }
        }
      };
    } else {
      options.scales = { x: { offset: true }, y: { min: 0, max: 100, ticks: { stepSize: 25 } } };
    }
    return { type: spec.type, data: { labels: spec.labels, datasets: datasets }, options: options };
  }

  function draw(root) {
    if (typeof window.Chart === "undefined") {
      return;
    }
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) {
        return;
      }
      canvas.dataset.drawn = "1";
      new window.Chart(canvas, config(JSON.parse(canvas.dataset.chart)));
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.detail.elt || document); });
  // Charts redraw at the paper's size when printed.
  window.addEventListener("beforeprint", function () {
    if (window.Chart) {
      Object.values(window.Chart.instances).forEach(function (chart) { chart.resize(); });
    }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();
