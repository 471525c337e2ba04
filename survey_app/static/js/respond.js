/* Enhancements for answering pages; every page works without this file.
   - character counts on comment boxes (GOV.UK character count pattern)
   - autosave of the current page every few seconds after a change
   - focus on the error summary, and one submission per click on "Submit" */
(function () {
  "use strict";

  function characterCount(group) {
    var limit = parseInt(group.getAttribute("data-maxlength"), 10);
    var box = group.querySelector("textarea");
    var info = group.querySelector(".character-count");
    if (!box || !info || !limit) { return; }
    var live = document.createElement("div");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    group.appendChild(live);
    var timer = null;
    function message() {
      var left = limit - box.value.length;
      if (left >= 0) {
        return "You have " + left + (left === 1 ? " character" : " characters") + " remaining";
      }
      return "You have " + (-left) + (left === -1 ? " character" : " characters") + " too many";
    }
    function update() {
      info.textContent = message();
      info.classList.toggle("character-count--over", box.value.length > limit);
      clearTimeout(timer);
      timer = setTimeout(function () { live.textContent = message(); }, 1000);
    }
    box.addEventListener("input", update);
    info.textContent = message();
  }

  function autosave(form) {
    var url = form.getAttribute("data-autosave-url");
    var status = form.querySelector("[data-autosave-status]");
    var timer = null;
    var busy = false;
    function save() {
      if (busy) { timer = setTimeout(save, 1000); return; }
      busy = true;
      fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin",
                   headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (result) {
          if (status && result && result.saved) {
            var now = new Date();
            var time = now.getHours() + ":" + ("0" + now.getMinutes()).slice(-2);
            status.textContent = "Draft saved at " + time + ".";
          }
        })
        .catch(function () {
          if (status) { status.textContent = "Not saved yet: use a Save button."; }
        })
        .then(function () { busy = false; });
    }
    function changed() {
      clearTimeout(timer);
      timer = setTimeout(save, 3000);
    }
    form.addEventListener("change", changed);
    form.addEventListener("input", changed);
    form.addEventListener("submit", function () { clearTimeout(timer); });
  }

  function submitOnce(form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-submitted")) { event.preventDefault(); return; }
      form.setAttribute("data-submitted", "true");
    });
  }

  document.querySelectorAll("[data-character-count]").forEach(characterCount);
  document.querySelectorAll("form[data-autosave-url]").forEach(autosave);
  document.querySelectorAll("form[data-submit-once]").forEach(submitOnce);
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
})();
