// The bed board refreshes itself every minute, unless someone is typing or has a bed's
// menu open (a reload would lose what they were doing).
(function () {
  setInterval(function () {
    var busy = document.activeElement && /INPUT|SELECT|TEXTAREA/.test(document.activeElement.tagName);
    if (!busy && !document.querySelector(".hmis-beds details[open]")) {
      window.location.reload();
    }
  }, 60000);
})();
