/* A form with data-confirm="question" asks before it is sent (a discharge cannot be
   taken back). Inline handlers are refused by the page's Content Security Policy. */
document.addEventListener("submit", function (event) {
  "use strict";
  var question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) { event.preventDefault(); }
}, true);
