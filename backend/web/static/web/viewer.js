// The photo viewer: a link with data-photo opens its photo large in a dialog, with zoom (wheel,
// pinch, buttons, keys), panning, the camera's time and place, the evidence checks on it and a
// link to the original. The data is the page's JSON (backend/web/photo_viewer.py); the mid-size
// picture is fetched only when a photo is opened, the original only when its link is followed.
// Every text from the data is set as text, never as HTML.
(function () {
  "use strict";
  var MIN = 1, MAX = 8, STEP = 1.25;

  function setup() {
    var dialog = document.getElementById("photo-viewer");
    var source = document.getElementById("photo-viewer-data");
    if (!dialog || !source || typeof dialog.showModal !== "function") { return; }
    var data = JSON.parse(source.textContent);
    var links = Array.prototype.filter.call(document.querySelectorAll("a[data-photo]"),
      function (link) { return Object.prototype.hasOwnProperty.call(data, link.dataset.photo); });
    var keys = [];
    links.forEach(function (link) {
      if (keys.indexOf(link.dataset.photo) < 0) { keys.push(link.dataset.photo); }
    });
    if (!keys.length) { return; }

    var stage = dialog.querySelector("[data-stage]");
    var picture = dialog.querySelector("[data-picture]");
    var level = dialog.querySelector("[data-zoom-level]");
    var view = { index: 0, scale: 1, x: 0, y: 0 };

    function apply() {
      if (view.scale <= MIN) { view.scale = MIN; view.x = 0; view.y = 0; }
      picture.style.transform = "translate(" + view.x + "px, " + view.y + "px) scale(" + view.scale + ")";
      level.textContent = Math.round(view.scale * 100) + "%";
      stage.classList.toggle("zoomed", view.scale > MIN);
    }

    // Zoom by `factor` keeping the point under (clientX, clientY) where it is (the centre by default).
    function zoom(factor, clientX, clientY) {
      var rect = stage.getBoundingClientRect();
      var px = (clientX === undefined ? rect.width / 2 : clientX - rect.left) - rect.width / 2;
      var py = (clientY === undefined ? rect.height / 2 : clientY - rect.top) - rect.height / 2;
      var next = Math.min(MAX, Math.max(MIN, view.scale * factor));
      view.x = px - (px - view.x) * (next / view.scale);
      view.y = py - (py - view.y) * (next / view.scale);
      view.scale = next;
      apply();
    }

    function fill(selector, value) { dialog.querySelector(selector).textContent = value || ""; }

    function show(index) {
      view.index = (index + keys.length) % keys.length;
      var entry = data[keys[view.index]];
      picture.src = entry.large;
      picture.alt = entry.title;
      fill("#viewer-title", entry.title);
      fill("[data-time]", entry.time);
      fill("[data-place]", entry.place);
      var list = dialog.querySelector("[data-checks]");
      list.textContent = "";
      entry.checks.forEach(function (check) {
        var item = document.createElement("li");
        item.textContent = check;
        list.appendChild(item);
      });
      var original = dialog.querySelector("[data-original]");
      original.href = entry.original;
      original.setAttribute("download", entry.name);
      view.scale = MIN;
      apply();
    }

    links.forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
        event.preventDefault();
        show(keys.indexOf(link.dataset.photo));
        dialog.showModal();
      });
    });

    dialog.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (event.target === dialog) { dialog.close(); return; }
      if (!button) { return; }
      if (button.hasAttribute("data-close")) { dialog.close(); }
      if (button.dataset.zoom === "in") { zoom(STEP); }
      if (button.dataset.zoom === "out") { zoom(1 / STEP); }
      if (button.dataset.zoom === "fit") { view.scale = MIN; apply(); }
      if (button.dataset.step) { show(view.index + Number(button.dataset.step)); }
    });

    dialog.addEventListener("keydown", function (event) {
      var actions = {
        "+": function () { zoom(STEP); }, "=": function () { zoom(STEP); },
        "-": function () { zoom(1 / STEP); }, "0": function () { view.scale = MIN; apply(); },
        ArrowRight: function () { show(view.index + 1); },
        ArrowLeft: function () { show(view.index - 1); }
      };
      if (actions[event.key] && !event.target.closest("input, textarea")) {
        event.preventDefault();
        actions[event.key]();
      }
    });

    stage.addEventListener("wheel", function (event) {
      event.preventDefault();
      zoom(event.deltaY < 0 ? STEP : 1 / STEP, event.clientX, event.clientY);
    }, { passive: false });
    stage.addEventListener("dblclick", function (event) {
      zoom(view.scale > MIN ? MIN / view.scale : 2, event.clientX, event.clientY);
    });

    // Pointers: one drags the zoomed picture, two pinch.
    var pointers = {};
    var pinch = null, drag = null;
    function spread() {
      var points = Object.keys(pointers).map(function (id) { return pointers[id]; });
      var dx = points[0].x - points[1].x, dy = points[0].y - points[1].y;
      return { distance: Math.sqrt(dx * dx + dy * dy),
               x: (points[0].x + points[1].x) / 2, y: (points[0].y + points[1].y) / 2 };
    }
    stage.addEventListener("pointerdown", function (event) {
      stage.setPointerCapture(event.pointerId);
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      var count = Object.keys(pointers).length;
      if (count === 2) {
        pinch = { distance: spread().distance || 1, scale: view.scale };
        drag = null;
      } else if (count === 1) {
        drag = { x: event.clientX - view.x, y: event.clientY - view.y };
      }
    });
    stage.addEventListener("pointermove", function (event) {
      if (!pointers[event.pointerId]) { return; }
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      if (pinch && Object.keys(pointers).length === 2) {
        var now = spread();
        zoom((pinch.scale * now.distance / pinch.distance) / view.scale, now.x, now.y);
      } else if (drag && view.scale > MIN) {
        view.x = event.clientX - drag.x;
        view.y = event.clientY - drag.y;
        apply();
      }
    });
    function release(event) {
      delete pointers[event.pointerId];
      if (Object.keys(pointers).length < 2) { pinch = null; }
      if (!Object.keys(pointers).length) { drag = null; }
    }
    stage.addEventListener("pointerup", release);
    stage.addEventListener("pointercancel", release);
  }

  document.addEventListener("DOMContentLoaded", setup);
})();
