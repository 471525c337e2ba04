// Draws every [data-figure] placeholder with plotly.js. Tables beside each chart carry the same
// figures, so nothing is lost without JavaScript.
(function () {
  if (!window.Plotly) { return; }
  document.querySelectorAll("[data-figure]").forEach(function (element) {
    var figure = JSON.parse(element.getAttribute("data-figure"));
    var layout = Object.assign({ autosize: true, margin: { t: 40, r: 20, b: 40, l: 20 } },
                               figure.layout || {});
    window.Plotly.newPlot(element, figure.data || [], layout,
                          { displaylogo: false, responsive: true, staticPlot: false });
  });
})();
