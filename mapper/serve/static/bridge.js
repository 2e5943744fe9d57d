/* incident-mapper serve: injected into the map page (a sandboxed frame). Talks to the review page only by
   postMessage: it reports map clicks (when the page asks for a point) and the view, and shows a focus ring. */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  var map = null;
  Object.keys(window).forEach(function (k) {
    try {
      if (!map && k.indexOf("map_") === 0 && window[k] instanceof L.Map) { map = window[k]; }
    } catch (e) { /* a property we may not read */ }
  });
  function tell(msg) { window.parent.postMessage(msg, "*"); }
  document.addEventListener("dragenter", function () { tell({ type: "drag" }); });
  if (!map) { tell({ type: "ready", map: false }); return; }
  var picking = false, ring = null;
  var m = /#view=(-?[0-9.]+),(-?[0-9.]+),([0-9]+)/.exec(window.location.hash);
  if (m) { map.setView([+m[1], +m[2]], +m[3], { animate: false }); }
  map.on("moveend", function () {
    var c = map.getCenter();
    tell({ type: "view", lat: c.lat, lon: c.lng, zoom: map.getZoom() });
  });
  map.on("click", function (e) {
    if (picking) { tell({ type: "click", lat: e.latlng.lat, lon: e.latlng.lng }); }
  });
  window.addEventListener("message", function (e) {
    if (e.source !== window.parent) { return; }
    var d = e.data || {};
    if (d.type === "pick") {
      picking = !!d.on;
      map.getContainer().style.cursor = picking ? "crosshair" : "";
    } else if (d.type === "focus" && isFinite(d.lat) && isFinite(d.lon)) {
      map.setView([+d.lat, +d.lon], Math.max(map.getZoom(), 9));
      if (ring) { ring.remove(); }
      ring = L.circleMarker([+d.lat, +d.lon], { radius: 16, color: "#e6550d", weight: 3, fill: false, interactive: false, className: "im-focus" }).addTo(map);
    }
  });
  tell({ type: "ready", map: true });
}());
