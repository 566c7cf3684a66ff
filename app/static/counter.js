/* The cash counter's running total: the ticked pending items, the other services chosen
   (each at what this patient pays: the page gives it) times their quantity, less the
   discount. The amount to collect follows the total until the cashier types another. */
(function () {
  "use strict";

  function money(text) {
    var value = parseFloat(String(text || "").replace(/,/g, ""));
    return isNaN(value) ? 0 : value;
  }

  function setUp(form) {
    var shown = form.querySelector(".hmis-running-total");
    var amount = form.elements.amount;
    if (!shown) { return; }
    var typed = amount && amount.value !== "";

    function total() {
      var sum = 0;
      form.querySelectorAll("input[name=charge]:checked").forEach(function (box) {
        sum += money(box.dataset.amount);
      });
      form.querySelectorAll("select[name^=item_]").forEach(function (select) {
        var option = select.options[select.selectedIndex];
        if (!option || !option.value) { return; }
        var quantity = form.elements["quantity_" + select.name.slice(5)];
        sum += money(option.dataset.amount) * (quantity ? money(quantity.value) : 1);
      });
      if (form.elements.discount) { sum -= money(form.elements.discount.value); }
      sum = Math.max(sum, 0);
      shown.textContent = sum.toFixed(2);
      if (amount && !typed) {
        amount.value = sum.toFixed(2);
        if (document.activeElement === amount) { amount.select(); }  // typing replaces it
      }
    }

    if (amount) {
      amount.addEventListener("input", function () { typed = amount.value !== ""; });
      amount.addEventListener("focus", function () { if (!typed) { amount.select(); } });
    }
    form.addEventListener("change", total);
    form.addEventListener("input", function (event) {
      if (event.target !== amount) { total(); }
    });
    total();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(function (form) {
      if (form.querySelector(".hmis-running-total")) { setUp(form); }
    });
  });
})();
