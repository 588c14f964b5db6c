// View form: the print-area editor. The print area is drawn over the mockup; drag it or its handles
// with a pointer, or focus it and use the keyboard (arrows move, Shift+arrows resize, Alt for steps
// of 10 px; a polygon's points move with the arrows, Delete removes one, Insert adds one after it).
// The form's fields stay the source of truth: the editor draws what they hold, writes them as the
// area moves, and redraws when they are typed in. Without this script the fields work alone.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var RECT_FIELDS = ["rect_x", "rect_y", "rect_width", "rect_height"];
  var HANDLES = ["nw", "n", "ne", "e", "se", "s", "sw", "w"];
  var ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  var HANDLE_PX = 7; // half a handle, in screen pixels

  function clamp(value, low, high) {
    return Math.min(Math.max(value, low), high);
  }

  function bounds(points) {
    var xs = points.map(function (p) { return p[0]; });
    var ys = points.map(function (p) { return p[1]; });
    return {
      left: Math.min.apply(null, xs), top: Math.min.apply(null, ys),
      right: Math.max.apply(null, xs), bottom: Math.max.apply(null, ys),
    };
  }

  function corners(box) {
    return [[box.left, box.top], [box.right, box.top], [box.right, box.bottom], [box.left, box.bottom]];
  }

  function make(name, attributes, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    parent.appendChild(node);
    return node;
  }

  function start(root) {
    var form = root.closest("form");
    var svg = root.querySelector("svg");
    var image = make("image", { preserveAspectRatio: "none" }, svg);
    var layer = make("g", {}, svg);
    var mockup = { width: Number(root.dataset.width) || 0, height: Number(root.dataset.height) || 0 };
    var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined, {
      maximumFractionDigits: 2, useGrouping: false,
    });
    var built = "";
    var drag = null;

    var field = function (name) { return form.elements[name]; };
    var number = function (name) {
      var text = field(name).value.trim();
      return text === "" ? NaN : Number(text);
    };
    var isRect = function () { return field("area_shape").value === "rect"; };

    // --- the fields ---------------------------------------------------------------------------

    function rectPoints() {
      var values = RECT_FIELDS.map(number);
      if (values.some(isNaN) || values[2] <= 0 || values[3] <= 0) return null;
      return corners({ left: values[0], top: values[1], right: values[0] + values[2], bottom: values[1] + values[3] });
    }

    function polygonPoints() {
      var points;
      try {
        points = JSON.parse(field("points").value);
      } catch (error) {
        return null;
      }
      var valid = Array.isArray(points) && points.length >= 3 && points.every(function (p) {
        return Array.isArray(p) && p.length === 2 && p.every(function (c) { return typeof c === "number"; });
      });
      return valid ? points : null;
    }

    function read() {
      return isRect() ? rectPoints() : polygonPoints();
    }

    function blank() {
      var names = isRect() ? RECT_FIELDS : ["points"];
      return names.every(function (name) { return field(name).value.trim() === ""; });
    }

    function setRect(box) {
      var left = Math.round(box.left), top = Math.round(box.top); // the fields take whole pixels
      [left, top, Math.round(box.right) - left, Math.round(box.bottom) - top].forEach(function (value, index) {
        field(RECT_FIELDS[index]).value = String(value);
      });
    }

    function setPoints(points) {
      field("points").value = JSON.stringify(points);
    }

    // Both shapes' fields are written, so that switching the shape keeps the area where it is.
    function write(points) {
      setRect(bounds(points));
      setPoints(points);
    }

    function defaultArea() {
      var w = mockup.width, h = mockup.height;
      return corners({
        left: Math.round(w / 4), top: Math.round(h / 4), right: Math.round(w * 3 / 4), bottom: Math.round(h * 3 / 4),
      });
    }

    // --- moves, in whole mockup pixels, kept inside the mockup ----------------------------------

    function moved(points, dx, dy) {
      var box = bounds(points);
      dx = clamp(dx, -box.left, mockup.width - box.right);
      dy = clamp(dy, -box.top, mockup.height - box.bottom);
      return points.map(function (p) { return [p[0] + dx, p[1] + dy]; });
    }

    function resized(points, handle, dx, dy) {
      var box = bounds(points);
      if (isRect()) {
        if (handle.indexOf("w") >= 0) box.left = clamp(box.left + dx, 0, box.right - 1);
        if (handle.indexOf("e") >= 0) box.right = clamp(box.right + dx, box.left + 1, mockup.width);
        if (handle.indexOf("n") >= 0) box.top = clamp(box.top + dy, 0, box.bottom - 1);
        if (handle.indexOf("s") >= 0) box.bottom = clamp(box.bottom + dy, box.top + 1, mockup.height);
        return corners(box);
      }
      // A polygon grows or shrinks from its top left corner.
      var width = box.right - box.left, height = box.bottom - box.top;
      var sx = clamp(width + dx, 1, mockup.width - box.left) / (width || 1);
      var sy = clamp(height + dy, 1, mockup.height - box.top) / (height || 1);
      return points.map(function (p) {
        return [Math.round(box.left + (p[0] - box.left) * sx), Math.round(box.top + (p[1] - box.top) * sy)];
      });
    }

    function pointMoved(points, index, dx, dy, from) {
      var copy = points.map(function (p) { return p.slice(); });
      copy[index] = [clamp(from[0] + dx, 0, mockup.width), clamp(from[1] + dy, 0, mockup.height)];
      return copy;
    }

    function apply(points, focusKey) {
      write(points);
      draw(focusKey);
    }

    // --- drawing --------------------------------------------------------------------------------

    function build(points) {
      layer.textContent = "";
      make("polygon", {
        class: "area-body", "data-drag": "body", tabindex: "0", role: "application",
        "aria-label": root.dataset.labelArea, "aria-describedby": root.dataset.keys,
      }, layer);
      if (isRect()) {
        HANDLES.forEach(function (handle) {
          make("rect", { class: "area-handle", "data-drag": handle }, layer);
        });
      } else {
        points.forEach(function (p, index) {
          make("circle", {
            class: "area-handle", "data-drag": "point", "data-index": String(index), tabindex: "0", role: "application",
            "aria-label": root.dataset.labelPoint.replace("%(number)s", String(index + 1)),
            "aria-describedby": root.dataset.keys,
          }, layer);
        });
      }
    }

    function place(points) {
      var box = bounds(points);
      var half = HANDLE_PX * mockup.width / (svg.getBoundingClientRect().width || mockup.width);
      layer.querySelector(".area-body").setAttribute("points", points.map(function (p) { return p.join(","); }).join(" "));
      layer.querySelectorAll(".area-handle").forEach(function (handle) {
        var name = handle.dataset.drag;
        if (name === "point") {
          var p = points[Number(handle.dataset.index)];
          handle.setAttribute("cx", p[0]);
          handle.setAttribute("cy", p[1]);
          handle.setAttribute("r", half);
          return;
        }
        var x = name.indexOf("w") >= 0 ? box.left : name.indexOf("e") >= 0 ? box.right : (box.left + box.right) / 2;
        var y = name.indexOf("n") >= 0 ? box.top : name.indexOf("s") >= 0 ? box.bottom : (box.top + box.bottom) / 2;
        handle.setAttribute("x", x - half);
        handle.setAttribute("y", y - half);
        handle.setAttribute("width", 2 * half);
        handle.setAttribute("height", 2 * half);
      });
    }

    function draw(focusKey) {
      var points = mockup.width ? read() : null;
      var shape = points ? field("area_shape").value + ":" + points.length : "";
      if (shape !== built) {
        built = shape;
        if (points) build(points);
        else layer.textContent = "";
      }
      if (points) place(points);
      if (focusKey) {
        var target = layer.querySelector(focusKey);
        if (target) target.focus({ preventScroll: true });
      }
      readout(points);
    }

    function readout(points) {
      var show = function (name, text) { root.querySelector('[data-readout="' + name + '"]').textContent = text; };
      var box = points && bounds(points);
      show("area", box ? Math.round(box.right - box.left) + " × " + Math.round(box.bottom - box.top) + " px" : "—");
      var w = number("width_mm"), h = number("height_mm"), dpi = number("dpi"), bleed = number("bleed_mm");
      show("size", w > 0 && h > 0 ? numbers.format(w) + " × " + numbers.format(h) + " mm" : "—");
      show("dpi", dpi > 0 ? dpi + " DPI" : "—");
      var pixels = function (mm) { return Math.round((mm + 2 * (bleed || 0)) / 25.4 * dpi); };
      show("file", w > 0 && h > 0 && dpi > 0 ? pixels(w) + " × " + pixels(h) + " px" : "—");
    }

    function showMockup(href, width, height) {
      mockup.width = width;
      mockup.height = height;
      svg.setAttribute("viewBox", "0 0 " + width + " " + height);
      image.setAttribute("href", href);
      image.setAttribute("width", width);
      image.setAttribute("height", height);
      svg.removeAttribute("hidden"); // an SVG element has no .hidden property
      root.querySelector("[data-area-empty]").hidden = true;
      if (blank()) write(defaultArea()); // never over what is being typed
      built = "";
      draw();
    }

    // --- pointer --------------------------------------------------------------------------------

    function at(event) {
      var point = svg.createSVGPoint();
      point.x = event.clientX;
      point.y = event.clientY;
      return point.matrixTransform(svg.getScreenCTM().inverse());
    }

    layer.addEventListener("pointerdown", function (event) {
      var target = event.target.closest("[data-drag]");
      var points = read();
      if (!target || !points || event.button !== 0) return;
      event.preventDefault();
      var index = Number(target.dataset.index);
      drag = { handle: target.dataset.drag, index: index, from: at(event), points: points, point: points[index] };
      svg.setPointerCapture(event.pointerId);
      if (target.hasAttribute("tabindex")) target.focus({ preventScroll: true });
    });

    svg.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var here = at(event);
      var dx = Math.round(here.x - drag.from.x), dy = Math.round(here.y - drag.from.y);
      if (drag.handle === "body") apply(moved(drag.points, dx, dy));
      else if (drag.handle === "point") apply(pointMoved(drag.points, drag.index, dx, dy, drag.point));
      else apply(resized(drag.points, drag.handle, dx, dy));
    });

    var release = function () { drag = null; };
    svg.addEventListener("pointerup", release);
    svg.addEventListener("pointercancel", release);

    // --- keyboard -------------------------------------------------------------------------------

    layer.addEventListener("keydown", function (event) {
      var target = event.target.closest("[data-drag]");
      var points = read();
      if (!target || !points) return;
      var arrow = ARROWS[event.key];
      var step = event.altKey ? 10 : 1;
      if (target.dataset.drag === "body" && arrow) {
        var dx = arrow[0] * step, dy = arrow[1] * step;
        apply(event.shiftKey ? resized(points, "se", dx, dy) : moved(points, dx, dy), ".area-body");
      } else if (target.dataset.drag === "point") {
        var index = Number(target.dataset.index);
        var focus = function (i) { return '[data-index="' + i + '"]'; };
        if (arrow) {
          apply(pointMoved(points, index, arrow[0] * step, arrow[1] * step, points[index]), focus(index));
        } else if ((event.key === "Delete" || event.key === "Backspace") && points.length > 3) {
          points.splice(index, 1);
          apply(points, focus(Math.max(0, index - 1)));
        } else if (event.key === "Insert" || event.key === "+") {
          var next = points[(index + 1) % points.length];
          points.splice(index + 1, 0, [
            Math.round((points[index][0] + next[0]) / 2), Math.round((points[index][1] + next[1]) / 2),
          ]);
          apply(points, focus(index + 1));
        } else return;
      } else return;
      event.preventDefault();
    });

    // --- the form -------------------------------------------------------------------------------

    form.addEventListener("input", function (event) {
      // What is typed for the current shape is carried over to the other shape's fields too.
      var typed = isRect() ? RECT_FIELDS.indexOf(event.target.name) >= 0 : event.target.name === "points";
      var points = typed && read();
      if (points && isRect()) setPoints(points);
      else if (points) setRect(bounds(points));
      draw();
    });

    field("area_shape").addEventListener("change", function () {
      // The other shape's fields follow each edit; only empty ones need the area carried over.
      if (isRect() && !rectPoints() && polygonPoints()) setRect(bounds(polygonPoints()));
      else if (!isRect() && !polygonPoints() && rectPoints()) setPoints(rectPoints());
      draw();
    });

    field("mockup_upload").addEventListener("change", function () {
      var file = field("mockup_upload").files[0];
      if (!file) return;
      var href = URL.createObjectURL(file);
      var probe = new Image();
      probe.onload = function () { showMockup(href, probe.naturalWidth, probe.naturalHeight); };
      probe.src = href;
    });

    window.addEventListener("resize", function () { draw(); });

    root.hidden = false;
    if (root.dataset.mockup) showMockup(root.dataset.mockup, mockup.width, mockup.height);
    else readout(null);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-area-editor]").forEach(start);
  });
})();
