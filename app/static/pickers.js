/* Type-ahead selects for relations over big tables (patients, staff, villages): the
   server renders <select class="hmis-typeahead" data-picker="/picker/patient/"> with only
   the chosen row; this asks the picker as the user types. Filters that Flask-AppBuilder's
   list search adds later are picked up as they appear. */
(function ($) {
  "use strict";

  function activeValue(select) {
    // A list filter re-shown after searching: its value is in the address, not the page.
    var name = select.getAttribute("name") || "";
    if (name.indexOf("_flt_") !== 0) { return null; }
    return new URLSearchParams(window.location.search).get(name);
  }

  function init(select) {
    if (select.dataset.hmisReady) { return; }
    select.dataset.hmisReady = "1";
    var $select = $(select);
    if ($select.hasClass("select2-hidden-accessible")) { $select.select2("destroy"); }
    var url = select.dataset.picker;
    $select.select2({
      theme: "bootstrap", width: "100%", allowClear: true, minimumInputLength: 1,
      placeholder: select.dataset.placeholder || "",
      language: {
        inputTooShort: function () { return select.dataset.tooShort; },
        searching: function () { return select.dataset.searching; },
        noResults: function () { return select.dataset.noResults; }
      },
      ajax: {
        url: url, dataType: "json", delay: 250,
        data: function (params) {
          // A picker may be narrowed by another field of its form (villages by the block).
          var query = {q: params.term}, from = select.dataset.filterFrom;
          var narrowing = from && select.form && select.form.elements[from];
          if (narrowing && narrowing.value) { query[from] = narrowing.value; }
          return query;
        },
        processResults: function (data) { return {results: data.results}; }
      }
    });
    var wanted = activeValue(select);
    if (wanted && !select.value) {
      $.getJSON(url, {id: wanted}, function (data) {
        data.results.forEach(function (row) {
          $select.append(new Option(row.text, row.id, true, true)).trigger("change");
        });
      });
    }
  }

  function scan(root) {
    $(root).find("select.hmis-typeahead").addBack("select.hmis-typeahead").each(function () {
      // A filter row's select gets its name just after it is added: wait a moment.
      var select = this;
      window.setTimeout(function () { init(select); }, 0);
    });
  }

  $(function () {
    scan(document.body);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) { scan(node); }
        });
      });
    }).observe(document.body, {childList: true, subtree: true});
  });
})(jQuery);
