// Draw the points and village boundaries a page embeds as JSON (backend/web/maps.py) with Leaflet.
// Without a tile URL the map has no background tiles and still works offline: the boundary, the
// household, the visit and the photos are drawn as distinct markers from the page's own SVG
// symbols (web/includes/map.html), which the legend beside the map shows too.
// Labels come from phones (household labels, photo file names) and from imports: Leaflet renders a
// string tooltip or attribution as HTML, so every label is handed to it as a text node.
(function () {
  "use strict";
  // Marker size and the point of the icon that sits on the place; the visit is drawn on top.
  var ICONS = {
    visit: { size: [26, 34], anchor: [13, 33], z: 1000 },
    household: { size: [26, 26], anchor: [13, 13], z: 500 },
    photo: { size: [22, 22], anchor: [11, 11], z: 0 }
  };
  var SVG = "http://www.w3.org/2000/svg";

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

  // An icon whose element is built from the page's symbol (no HTML string from the data).
  function icon(kind, label) {
    var shape = ICONS[kind] || ICONS.photo;
    var element = document.createElement("div");
    element.className = "map-marker map-point map-point-" + kind;
    element.setAttribute("role", "img");
    element.setAttribute("aria-label", label == null ? "" : String(label));
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", shape.size[0]);
    svg.setAttribute("height", shape.size[1]);
    var use = document.createElementNS(SVG, "use");
    use.setAttribute("href", "#map-icon-" + (ICONS[kind] ? kind : "photo"));
    svg.appendChild(use);
    element.appendChild(svg);
    return L.divIcon({ html: element, className: "", iconSize: shape.size, iconAnchor: shape.anchor,
                       tooltipAnchor: [0, -shape.anchor[1]] });
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
        style: { color: "#2e7d32", weight: 2, dashArray: "6 4", fillOpacity: 0.08,
                 className: "map-boundary" }
      }).bindTooltip(text(polygon.label));
    });
    // The view must be set before vector layers are added: the renderer needs the map's size.
    // The village boundary decides the view when there is one; points outside it widen it.
    var bounds = L.latLngBounds([]);
    polygons.forEach(function (layer) { bounds.extend(layer.getBounds()); });
    data.points.forEach(function (point) { bounds.extend([point.latitude, point.longitude]); });
    if (bounds.isValid()) {
      map.fitBounds(bounds.pad(0.1), { maxZoom: 17 });
    } else {
      map.setView([35, 105], 4);
    }
    polygons.forEach(function (layer) { layer.addTo(map); });
    data.points.forEach(function (point) {
      var shape = ICONS[point.kind] || ICONS.photo;
      var marker = L.marker([point.latitude, point.longitude], {
        icon: icon(point.kind, point.label),
        zIndexOffset: shape.z,
        keyboard: true,
        title: point.label == null ? "" : String(point.label)
      }).bindTooltip(text(point.label));
      var url = point.url ? sameOrigin(point.url) : null;
      if (url) {
        marker.on("click", function () { window.open(url, "_blank", "noopener"); });
      }
      marker.addTo(map);
    });
    markLegend(data);
    element.dataset.ready = String(polygons.length + data.points.length);
  }

  // The legend names only what this map draws.
  function markLegend(data) {
    var legend = document.getElementById("map-legend");
    if (!legend) { return; }
    var drawn = { boundary: data.polygons.length > 0 };
    data.points.forEach(function (point) { drawn[point.kind] = true; });
    legend.querySelectorAll("[data-kind]").forEach(function (item) {
      item.hidden = !drawn[item.dataset.kind];
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-map]").forEach(draw);
  });
})();
