// Live totals: listens to /magnitude/live (server-sent events) and updates the counts on the page, without a reload.
// Without this script, or without EventSource, the page still shows the totals from when it was loaded.
(function () {
  "use strict";
  var lists = document.querySelectorAll("[data-live='magnitude']");
  if (!lists.length || !window.EventSource) { return; }
  var language = document.documentElement.lang || undefined;
  function show(element, value, fewer) {
    if (!element) { return; }
    var text = value === null || value === undefined ? fewer : Number(value).toLocaleString(language);
    if (element.textContent !== text) { element.textContent = text; }
  }
  function onTotals(event) {
    var totals;
    try { totals = JSON.parse(event.data); } catch (error) { return; }
    lists.forEach(function (list) {
      var fewer = list.getAttribute("data-fewer") || "fewer than 10";
      show(list.querySelector("[data-count='metoo']"), totals.me_too_people, fewer);
      show(list.querySelector("[data-count='believe']"), totals.believes, fewer);
      show(list.querySelector("[data-count='pledge']"), totals.pledges, fewer);
    });
    var today = document.querySelector("[data-today]");
    if (today) {
      var line = totals.me_too_today === null || totals.me_too_today === undefined
        ? today.getAttribute("data-fewer-line")
        : (today.getAttribute("data-line") || "").replace("{n}", Number(totals.me_too_today).toLocaleString(language));
      if (line && today.textContent !== line) { today.textContent = line; }
    }
    document.documentElement.setAttribute("data-magnitude-live", "on");
    // "These numbers update by themselves" is said only once they do (not without JavaScript).
    var status = document.querySelector("[data-live-status]");
    if (status) { status.hidden = false; }
  }
  // The browser retries a dropped stream by itself, but gives up for good after one failed retry (a 502 while the
  // server restarts): then a new one is opened, waiting longer each time, up to a minute.
  // A tab out of sight closes its stream and opens it again when shown (the first event brings the totals up to date):
  // a browser keeps at most six connections to a server, and six open tabs each holding a stream left a seventh, and
  // every other page of Chorus, waiting.
  var source = null;
  function connect(wait) {
    if (document.hidden || (source && source.readyState !== EventSource.CLOSED)) { return; }
    var own = new EventSource("/magnitude/live");
    source = own;
    own.addEventListener("magnitude", function (event) { wait = 3000; onTotals(event); });
    own.addEventListener("error", function () {
      if (own.readyState !== EventSource.CLOSED || source !== own) { return; }
      setTimeout(function () { connect(Math.min(wait * 2, 60000)); }, wait);
    });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      if (source) { source.close(); source = null; }
      if (document.documentElement.getAttribute("data-magnitude-live") === "on") {
        document.documentElement.setAttribute("data-magnitude-live", "paused");
      }
    } else {
      connect(3000);
    }
  });
  connect(3000);
})();
