// Registration desk keys: with the cursor outside a text box, a digit 1-9 focuses the
// "New visit" button of that result row, so Enter issues the token.
document.addEventListener("keydown", function (event) {
  var target = event.target;
  var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" ||
                          target.tagName === "SELECT");
  if (typing || event.altKey || event.ctrlKey || event.metaKey) { return; }
  if (event.key >= "1" && event.key <= "9") {
    var row = document.querySelector('.hmis-results tr[data-row="' + event.key + '"]');
    var button = row && row.querySelector("button[type=submit]");
    if (button) { event.preventDefault(); button.focus(); }
  }
});

// After a search, the first result's button takes the focus: Enter issues its token.
document.addEventListener("DOMContentLoaded", function () {
  var first = document.querySelector('.hmis-results tr[data-row="1"] button[type=submit]');
  if (first) { first.focus(); }
});
