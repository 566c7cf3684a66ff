// Patient search results, wherever a screen finds a patient (desk, counter, admission):
// after a search the first row's action has the focus, so Enter takes it; with the
// cursor outside a text box, a digit 1-9 moves to that row's action.
(function () {
  "use strict";
  var ACTION = "button[type=submit], a.btn";

  function action(row) {
    var found = document.querySelector('.hmis-results tr[data-row="' + row + '"]');
    return found && found.querySelector(ACTION);
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" ||
                            target.tagName === "SELECT");
    if (typing || event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (event.key >= "1" && event.key <= "9") {
      var chosen = action(event.key);
      if (chosen) { event.preventDefault(); chosen.focus(); }
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var first = action("1");
    if (first) { first.focus(); }
  });
})();
