// Wide tables scroll sideways inside .table-wrap. A keyboard can scroll a box only once the box
// takes focus, and Safari never focuses scrolling boxes by itself (axe:
// scrollable-region-focusable), so a box that overflows becomes a focusable region named by its
// table's caption. Boxes that fit stay out of the tab order; the check reruns on resize.
(function () {
  function update() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        var caption = wrap.querySelector("caption");
        var name = caption ? caption.textContent.trim() : "Table";
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", name + " (scrolls sideways)");
      } else if (wrap.getAttribute("tabindex") === "0") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  update();
  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(update, 150);
  });
})();
