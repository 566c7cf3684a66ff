/* The state dashboard's charts: each measure across the facilities (Chart.js from
   static/vendor; the figures come as JSON in the page). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("comparison-data").textContent);
  var colours = ["#2c6fb7", "#3c9a5f", "#c0504d", "#e08a2c", "#8e6bbf", "#4bacc6",
                 "#2c6fb7", "#e08a2c"];
  var counted = [0, 1, 2, 5];   // attendance, admissions, deaths, tests: whole numbers
  data.values.forEach(function (values, n) {
    var canvas = document.getElementById("compare-" + n);
    if (!canvas || !window.Chart) { return; }
    new window.Chart(canvas, {type: "bar", data: {labels: data.facilities, datasets: [
      {label: data.labels[n], data: values, backgroundColor: colours[n]}]},
      options: {responsive: true, animation: false, plugins: {legend: {display: false}},
                scales: {y: {beginAtZero: true,
                               ticks: {precision: counted.indexOf(n) >= 0 ? 0 : undefined}}}}});
  });
})();
