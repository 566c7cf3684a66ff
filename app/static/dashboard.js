/* Draws the dashboard's charts from the figures the page carries as JSON (Chart.js from
   static/vendor: nothing is loaded from the internet). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var words = JSON.parse(document.getElementById("dashboard-words").textContent);
  // People and beds are counted in whole numbers: no 0.5 admissions on the axis.
  var counts = {beginAtZero: true, ticks: {precision: 0}};
  var blue = "#2c6fb7", green = "#3c9a5f", orange = "#e08a2c", grey = "#9aa5b1";

  function chart(id, type, labels, datasets, options) {
    var canvas = document.getElementById(id);
    if (!canvas || !window.Chart) { return; }
    new window.Chart(canvas, {type: type, data: {labels: labels, datasets: datasets},
      // a doughnut is as tall as it is wide unless told: keep it to the bars' height
      options: Object.assign({responsive: true, animation: false, aspectRatio: 2,
                              plugins: {legend: {position: type === "doughnut" ? "right"
                                                                               : "bottom"}}},
                             options || {})});
  }
  function name(row) { return words.hindi && row[1] ? row[1] : row[0]; }

  chart("chart-opd", "bar", data.days, [
    {label: words["new"], data: data.opd_new, backgroundColor: blue},
    {label: words.follow_up, data: data.opd_follow_up, backgroundColor: green}],
    {scales: {x: {stacked: true}, y: Object.assign({stacked: true}, counts)}});
  chart("chart-departments", "bar", data.departments.map(name), [
    {label: words.visits, data: data.departments.map(function (r) { return r[2]; }),
     backgroundColor: blue}], {indexAxis: "y"});
  chart("chart-ipd", "line", data.days, [
    {label: words.admitted, data: data.admitted, borderColor: blue, backgroundColor: blue},
    {label: words.discharged, data: data.discharged, borderColor: orange,
     backgroundColor: orange}], {scales: {y: counts}});
  chart("chart-wards", "bar", data.wards.map(function (r) { return r[0]; }), [
    {label: words.beds, data: data.wards.map(function (r) { return r[1]; }), backgroundColor: grey},
    {label: words.occupied, data: data.wards.map(function (r) { return r[2]; }),
     backgroundColor: orange}], {scales: {y: counts}});
  chart("chart-money", "doughnut", data.money.map(function (r) { return r[0]; }), [
    {label: words.collected, data: data.money.map(function (r) { return r[1]; }),
     backgroundColor: [blue, green, orange, grey, "#8e6bbf", "#c0504d", "#4bacc6"]}]);
  chart("chart-diagnoses", "bar", data.diagnoses.map(function (r) {
    return r[0] + " " + (words.hindi && r[2] ? r[2] : r[1]); }), [
    {label: words.diagnoses, data: data.diagnoses.map(function (r) { return r[3]; }),
     backgroundColor: green}], {indexAxis: "y"});
  var palette = [blue, orange, green, grey, "#8e6bbf", "#c0504d", "#4bacc6"];
  chart("chart-groups", "bar", data.opd_groups.groups, data.opd_groups.by_sex.map(
    function (row, n) { return {label: row[0], data: row[1], backgroundColor: palette[n]}; }),
    {scales: {y: counts}});
  chart("chart-outcomes", "doughnut", data.outcomes.map(function (r) { return r[0]; }), [
    {data: data.outcomes.map(function (r) { return r[1]; }), backgroundColor: palette}]);
  chart("chart-ward-use", "bar", data.ward_use.map(function (r) { return r[0]; }), [
    {label: words.occupancy, data: data.ward_use.map(function (r) { return r[1]; }),
     backgroundColor: blue, yAxisID: "y"},
    {label: words.alos, data: data.ward_use.map(function (r) { return r[2]; }),
     backgroundColor: orange, yAxisID: "days"}],
    {scales: {y: {beginAtZero: true, position: "left"},
              days: {beginAtZero: true, position: "right", grid: {drawOnChartArea: false}}}});
  chart("chart-lab", "bar", data.days, [
    {label: words.reported, data: data.lab.reported, backgroundColor: green}],
    {scales: {y: counts}});
  chart("chart-tat", "bar", data.lab.sections.map(function (r) { return r[0]; }), [
    {label: words.tat, data: data.lab.sections.map(function (r) { return r[1]; }),
     backgroundColor: blue},
    {label: words.target, data: data.lab.sections.map(function (r) { return r[2]; }),
     backgroundColor: grey}], {scales: {y: {beginAtZero: true}}});
  chart("chart-services", "doughnut", data.services.map(function (r) { return r[0]; }), [
    {label: words.billed, data: data.services.map(function (r) { return r[1]; }),
     backgroundColor: palette}]);
  chart("chart-schemes", "bar", data.schemes.map(function (r) {
    return words.hindi ? r[1] : r[0]; }), [
    {label: words.exempted, data: data.schemes.map(function (r) { return r[3]; }),
     backgroundColor: orange}], {indexAxis: "y"});
})();
