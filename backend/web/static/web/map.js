// Draw the points and village polygons a page embeds as JSON (backend/web/maps.py) with Leaflet.
// Without a tile URL the map has no background tiles and still works offline.
(function () {
  "use strict";
  var COLOURS = { submission: "#d63638", household: "#2271b1", photo: "#dba617" };

  function draw(element) {
    var data = JSON.parse(document.getElementById(element.dataset.source).textContent);
    var map = L.map(element, { zoomControl: true, attributionControl: !!data.tiles });
    if (data.tiles) {
      L.tileLayer(data.tiles, { maxZoom: 19, attribution: data.attribution }).addTo(map);
    }
    var polygons = data.polygons.map(function (polygon) {
      return L.geoJSON(polygon.geometry, {
        style: { color: "#2e7d32", weight: 2, fillOpacity: 0.08 }
      }).bindTooltip(polygon.label);
    });
    // The view must be set before vector layers are added: the renderer needs the map's size.
    var bounds = L.latLngBounds([]);
    polygons.forEach(function (layer) { bounds.extend(layer.getBounds()); });
    data.points.forEach(function (point) { bounds.extend([point.latitude, point.longitude]); });
    if (bounds.isValid()) {
      map.fitBounds(bounds.pad(0.2), { maxZoom: 17 });
    } else {
      map.setView([35, 105], 4);
    }
    polygons.forEach(function (layer) { layer.addTo(map); });
    data.points.forEach(function (point) {
      var marker = L.circleMarker([point.latitude, point.longitude], {
        radius: point.kind === "photo" ? 6 : 8,
        color: COLOURS[point.kind] || "#50575e",
        fillOpacity: 0.8,
        className: "map-point map-point-" + point.kind
      }).bindTooltip(point.label);
      if (point.url) {
        marker.on("click", function () { window.open(point.url, "_blank"); });
      }
      marker.addTo(map);
    });
    element.dataset.ready = String(polygons.length + data.points.length);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-map]").forEach(draw);
  });
})();
