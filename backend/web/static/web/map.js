// Draw the points and village polygons a page embeds as JSON (backend/web/maps.py) with Leaflet.
// Without a tile URL the map has no background tiles and still works offline.
// Labels come from phones (household labels, photo file names) and from imports: Leaflet renders a
// string tooltip or attribution as HTML, so every label is handed to it as a text node.
(function () {
  "use strict";
  var COLOURS = { submission: "#d63638", household: "#2271b1", photo: "#dba617" };

  function text(label) {
    var span = document.createElement("span");
    span.textContent = label == null ? "" : String(label);
    return span;
  }

  // Only a link to this server opens: a URL in the page's data is never a script or another site.
  function sameOrigin(url) {
    var parsed = new URL(url, window.location.href);
    return parsed.origin === window.location.origin ? parsed.href : null;
  }

  function escapeHtml(value) {
    return text(value).innerHTML;
  }

  function draw(element) {
    var data = JSON.parse(document.getElementById(element.dataset.source).textContent);
    var map = L.map(element, { zoomControl: true, attributionControl: !!data.tiles });
    if (data.tiles) {
      // The attribution control takes HTML only: escape the setting's plain text.
      L.tileLayer(data.tiles, { maxZoom: 19, attribution: escapeHtml(data.attribution) }).addTo(map);
    }
    var polygons = data.polygons.map(function (polygon) {
      return L.geoJSON(polygon.geometry, {
        style: { color: "#2e7d32", weight: 2, fillOpacity: 0.08 }
      }).bindTooltip(text(polygon.label));
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
      }).bindTooltip(text(point.label));
      var url = point.url ? sameOrigin(point.url) : null;
      if (url) {
        marker.on("click", function () { window.open(url, "_blank", "noopener"); });
      }
      marker.addTo(map);
    });
    element.dataset.ready = String(polygons.length + data.points.length);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-map]").forEach(draw);
  });
})();
