// Draws every [data-figure] placeholder with plotly.js. Tables beside each chart carry the same
// figures, so nothing is lost without JavaScript.
(function () {
  if (!window.Plotly) { return; }
  // The placeholder is role="img" (named by its aria-label), so assistive technology treats the
  // chart as one picture and reads the table after it. Plotly's mode bar would put focusable
  // links inside that picture (axe: nested-interactive): keyboard users would land on controls
  // a screen reader cannot announce. It only offers zoom and PNG download, which the table and
  // its CSV download already cover, so it is switched off; hover labels still work by mouse.
  var config = { displaylogo: false, displayModeBar: false, responsive: true, staticPlot: false };
  document.querySelectorAll("[data-figure]").forEach(function (element) {
    var figure = JSON.parse(element.getAttribute("data-figure"));
    var layout = Object.assign({ autosize: true, margin: { t: 40, r: 20, b: 40, l: 20 } },
                               figure.layout || {});
    window.Plotly.newPlot(element, figure.data || [], layout, config);
  });
})();
