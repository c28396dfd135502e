// Draws every plotly figure on the page from its JSON (no inline scripts, so a strict CSP works).
// The figure's layout comes from the server (portal/charts.py): units, number format, margins.
// Here: the toolbar (only "download as PNG"), plotly's texts in Danish, and a size that follows
// the figure's box on any screen.
(function () {
  if (typeof Plotly === "undefined") { return; }
  if (window.performance && performance.mark) { performance.mark("plotly-loaded"); }  // read by the browser journeys
  var danish = (document.documentElement.lang || "da").slice(0, 2) === "da";
  // Danish texts for plotly's toolbar and messages, and Danish month and day names. The format
  // part follows plotly.js-locales' da.js (MIT); plotly ships no Danish toolbar texts.
  Plotly.register({
    moduleType: "locale",
    name: "da",
    dictionary: {
      "Autoscale": "Tilpas akserne automatisk",
      "Box Select": "Vælg med rektangel",
      "Compare data on hover": "Sammenlign værdier ved markøren",
      "Double-click on legend to isolate one trace": "Dobbeltklik på en forklaring for kun at vise den serie",
      "Double-click to zoom back out": "Dobbeltklik for at zoome ud igen",
      "Download plot as a PNG": "Hent grafen som billede (PNG)",
      "Download plot": "Hent grafen",
      "Lasso Select": "Vælg med lasso",
      "Pan": "Panorér",
      "Produced with Plotly.js": "Lavet med Plotly.js",
      "Reset": "Nulstil",
      "Reset axes": "Nulstil akserne",
      "Reset view": "Nulstil visningen",
      "Show closest data on hover": "Vis nærmeste værdi ved markøren",
      "Snapshot succeeded": "Billedet er hentet",
      "Sorry, there was a problem downloading your snapshot!": "Billedet kunne ikke hentes.",
      "Taking snapshot - this may take a few seconds": "Laver billedet; det kan tage et par sekunder",
      "Toggle Spike Lines": "Vis eller skjul hjælpelinjer",
      "Toggle show closest data on hover": "Vis eller skjul nærmeste værdi ved markøren",
      "Zoom": "Zoom",
      "Zoom in": "Zoom ind",
      "Zoom out": "Zoom ud",
      "trace": "serie"
    },
    format: {
      days: ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
      shortDays: ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
      months: ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
               "oktober", "november", "december"],
      shortMonths: ["jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."],
      date: "%d-%m-%Y",
      decimal: ",",
      thousands: "."
    }
  });

  var defaults = {
    responsive: true,         // follows the width of its box when the window changes
    displaylogo: false,       // no "Produced with plotly" link
    showSendToCloud: false,
    showEditInChartStudio: false,
    scrollZoom: false,
    doubleClick: false,
    // The axes are fixed (portal/charts.py), so zoom, pan and selections have nothing to do;
    // what remains is the button that saves the chart as an image.
    modeBarButtonsToRemove: ["zoom2d", "pan2d", "select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d",
                             "resetScale2d", "toggleSpikelines", "hoverClosestCartesian", "hoverCompareCartesian"],
    locale: danish ? "da" : "en"
  };

  document.querySelectorAll("[data-plotly-figure]").forEach(function (element) {
    var source = document.getElementById(element.dataset.plotlyFigure);
    if (!source) { return; }
    var figure = JSON.parse(source.textContent);
    var config = Object.assign({}, defaults, figure.config || {});
    // About 80 px per period label: on a narrow screen every n-th label, ending with the newest.
    var xaxis = figure.layout.xaxis || {}, count = figure.data.length ? (figure.data[0].x || []).length : 0;
    var fit = Math.max(2, Math.floor(element.clientWidth / 80));
    // On a phone a long legend wraps to a row per series: the chart grows by those rows instead of
    // the plot shrinking under them.
    if (element.clientWidth < 560 && figure.data.length > 3 && figure.layout.height) {
      figure.layout.height += 20 * (figure.data.length - 2);
    }
    if (xaxis.type === "category" && count > fit) {
      var step = Math.ceil(count / fit);
      Object.assign(xaxis, {tickmode: "linear", dtick: step, tick0: (count - 1) % step});
    }
    Plotly.newPlot(element, figure.data, figure.layout, config).then(function () {
      element.dataset.drawn = "true";
      // Read by the browser journeys: time from navigation to the first drawn chart.
      if (window.performance && performance.mark && !performance.getEntriesByName("chart-drawn").length) {
        performance.mark("chart-drawn");
      }
    });
  });
})();
