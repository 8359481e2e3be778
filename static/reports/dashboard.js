/* The leaders' dashboard: draws every [data-chart] box from the page's "dashboard-charts" JSON (json_script)
   with the vendored Chart.js, and submits the year chooser when another year is picked. No inline script: the
   page stays within a content security policy without 'unsafe-inline'. */
(function () {
  "use strict";

  const yearSelect = document.getElementById("year-select");
  if (yearSelect) {
    yearSelect.addEventListener("change", function () {
      yearSelect.form.submit();
    });
  }

  const source = document.getElementById("dashboard-charts");
  if (!source || typeof window.Chart === "undefined") {
    return; // the tables under "show the numbers" still carry every figure
  }
  const charts = JSON.parse(source.textContent);
  const rootStyle = getComputedStyle(document.documentElement);
  const narrow = window.matchMedia("(max-width: 575.98px)").matches;

  function colour(name) {
    return rootStyle.getPropertyValue("--bs-" + name).trim() || "#6c757d";
  }

  function shortLabel(text) {
    // Long unit names would leave no room for the bars on a phone; the table has them in full.
    return narrow && text.length > 8 ? text.slice(0, 7) + "…" : text;
  }

  function height(spec) {
    if (!spec.horizontal) {
      return narrow ? 240 : 300;
    }
    const barsPerLabel = spec.stacked ? 1 : spec.datasets.length;
    return Math.max(160, spec.labels.length * barsPerLabel * 10 + spec.labels.length * 8 + 70);
  }

  function options(spec) {
    const valueAxis = {
      stacked: spec.stacked,
      beginAtZero: true,
      ticks: { precision: 0 },
    };
    if (spec.percent) {
      valueAxis.max = 100;
      valueAxis.ticks = { callback: function (value) { return value + "%"; } };
    }
    const labelAxis = {
      stacked: spec.stacked,
      ticks: {
        autoSkip: false,
        callback: function (value) { return shortLabel(this.getLabelForValue(value)); },
      },
    };
    return {
      indexAxis: spec.horizontal ? "y" : "x",
      maintainAspectRatio: false,
      animation: false,
      scales: spec.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
      plugins: {
        legend: { position: "bottom" },
        tooltip: {
          callbacks: {
            label: function (context) {
              const value = spec.horizontal ? context.parsed.x : context.parsed.y;
              return context.dataset.label + ": " + (value === null ? "—" : value + (spec.percent ? "%" : ""));
            },
          },
        },
      },
    };
  }

  document.querySelectorAll("[data-chart]").forEach(function (box) {
    const spec = charts[box.dataset.chart];
    if (!spec || spec.labels.length === 0) {
      box.hidden = true;
      return;
    }
    box.style.position = "relative";
    box.style.height = height(spec) + "px";
    new window.Chart(box.querySelector("canvas"), {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (dataset) {
          return { label: dataset.label, data: dataset.data, backgroundColor: colour(dataset.color) };
        }),
      },
      options: options(spec),
    });
    box.dataset.rendered = "true";
  });
})();
