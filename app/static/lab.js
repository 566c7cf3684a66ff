// The result entry grid: the cursor starts on the first result, Enter moves down to the
// next one (and selects it, to overtype); Enter on the last result saves the form. A
// number is flagged as it is typed (low, high, critical) against the patient's range the
// server put on the field; the server judges it again when it is saved.
(function () {
  "use strict";
  function flag(field) {
    var cell = document.getElementById(field.dataset.flag);
    if (!cell) return;
    var words = JSON.parse(cell.dataset.words || "{}");
    var value = parseFloat(field.value.replace(/,/g, ""));
    var d = field.dataset, code = "";
    if (!isNaN(value) && field.value.trim() !== "") {
      if (d.criticalLow !== undefined && value < parseFloat(d.criticalLow)) code = "LL";
      else if (d.criticalHigh !== undefined && value > parseFloat(d.criticalHigh)) code = "HH";
      else if (d.low !== undefined && value < parseFloat(d.low)) code = "L";
      else if (d.high !== undefined && value > parseFloat(d.high)) code = "H";
    }
    cell.textContent = code ? words[code] : "";
    var row = field.closest("tr");
    row.classList.toggle("danger", code === "LL" || code === "HH");
    row.classList.toggle("warning", code === "L" || code === "H");
  }
  function ready() {
    var fields = Array.prototype.slice.call(document.querySelectorAll(".hmis-result"));
    fields.forEach(function (field, i) {
      if (field.dataset.flag) field.addEventListener("input", function () { flag(field); });
      field.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" || i + 1 >= fields.length) return;
        event.preventDefault();
        fields[i + 1].focus();
        if (fields[i + 1].select) fields[i + 1].select();
      });
    });
    if (fields.length) fields[0].focus();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
