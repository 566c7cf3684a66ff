// ICD-10 suggestions for the diagnosis boxes: code or words, from /opd/icd10.
(function () {
  var list = null, timer = null;
  function suggest(input) {
    var q = input.value.trim();
    if (q.length < 2 || /^[A-Z]\d{2}(\.\d)? /.test(q)) { return; }
    fetch("/opd/icd10?q=" + encodeURIComponent(q), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (rows) {
        list = list || document.getElementById("icd10-options");
        list.textContent = "";
        rows.forEach(function (row) {
          var option = document.createElement("option");
          option.value = row.code + " " + row.title;
          if (row.title_hi) { option.label = row.title_hi; }  // the Hindi name beside it
          list.appendChild(option);
        });
      });
  }
  document.addEventListener("input", function (event) {
    if (!event.target.classList.contains("hmis-icd")) { return; }
    clearTimeout(timer);
    var input = event.target;
    timer = setTimeout(function () { suggest(input); }, 150);
  });
})();

// The body-mass index as weight and height are typed.
(function () {
  function update() {
    var weight = parseFloat((document.getElementById("weight_kg") || {}).value);
    var height = parseFloat((document.getElementById("height_cm") || {}).value) / 100;
    var shown = document.getElementById("bmi");
    if (!shown) { return; }
    shown.textContent = weight > 0 && height > 0 ? (weight / (height * height)).toFixed(1) : "–";
  }
  document.addEventListener("input", function (event) {
    if (event.target.id === "weight_kg" || event.target.id === "height_cm") { update(); }
  });
})();
