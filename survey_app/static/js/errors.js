// After a failed post the error summary is the first thing in main (GOV.UK error summary
// pattern). It carries `autofocus`, which does the work without this file; this makes sure the
// summary has focus and is in view even where a browser ignores autofocus on a box.
(function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary && document.activeElement !== summary) {
    summary.focus();
  }
})();
