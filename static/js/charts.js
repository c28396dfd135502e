// Draws every plotly figure on the page from its JSON (no inline scripts, so a strict CSP works).
document.querySelectorAll("[data-plotly-figure]").forEach(function (element) {
  var source = document.getElementById(element.dataset.plotlyFigure);
  if (!source || typeof Plotly === "undefined") { return; }
  var figure = JSON.parse(source.textContent);
  Plotly.newPlot(element, figure.data, figure.layout, {responsive: true, displaylogo: false});
});
