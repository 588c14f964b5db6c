// The design editor, loaded on first use (/widget/v1/editor.js, an ES module built with dom.js):
// the artwork, the photo and text layers on the product's print area, moved by pointer (mouse,
// pen, touch: drag to move, the corner handle to resize, the top handle to turn) or keyboard
// (arrows move, + and - resize, [ and ] turn, Delete removes a text). Photo and text stay in
// the print area's safe zone, as the server keeps them: what is arranged here is what prints.

const EDITOR_STYLES = `
.lw-ed-stage{position:relative;user-select:none}
.lw-ed-stage>img{display:block;width:100%;height:auto}
.lw-ed-area{position:absolute;overflow:hidden;touch-action:none;outline:1px solid rgba(0,0,0,.35)}
.lw-ed-safe{position:absolute;border:1px dashed rgba(0,0,0,.55);pointer-events:none}
.lw-ed-item{position:absolute;transform-origin:center;cursor:move;touch-action:none;line-height:1;white-space:pre}
.lw-ed-item:focus-visible,.lw-ed-item.is-on{outline:2px solid var(--lw-primary,#1d4ed8);outline-offset:1px}
.lw-ed-art{background-size:cover;background-position:center}
.lw-ed-handle{position:absolute;width:18px;height:18px;margin:-9px 0 0 -9px;border-radius:50%;background:#fff;border:2px solid var(--lw-primary,#1d4ed8);touch-action:none}
.lw-ed-tools{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:.5rem 0}
.lw-ed-tools .lw-field{margin:0}
`;
const MOVE_STEP = 0.01;
const TURN_STEP = 5;
const TEXT_SIZE = { min: 0.01, max: 1 };
const SCALE = { min: 0.05, max: 4 };

const clamp = (value, low, high) => Math.min(high, Math.max(low, value));
const round = (value) => Math.round(value * 10000) / 10000;

class Editor {
  // options: {t, view (the widget configuration's), design (the widget API's state), fonts, textMax, onApply(body), onClose()}
  constructor(options) {
    this.o = options;
    const { t, view, design } = options;
    const layout = design.layout;
    this.items = [
      { kind: "artwork", label: t("layer_artwork"), url: design.artwork_url, ...layout.artwork },
      design.photo_url && { kind: "photo", label: t("layer_photo"), url: design.photo_url, ...layout.photo },
      ...design.text_layers.map((layer) => ({ kind: "text", ...layer })),
    ].filter(Boolean);
    const xs = view.print_area.points.map((point) => point[0]);
    const ys = view.print_area.points.map((point) => point[1]);
    const box = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    const pct = (value, of) => `${(value / of) * 100}%`;
    this.safe = view.safe;
    this.area = h("div", {
      class: "lw-ed-area",
      style: `left:${pct(box[0], view.width)};top:${pct(box[1], view.height)};width:${pct(box[2] - box[0], view.width)};height:${pct(box[3] - box[1], view.height)}`,
    });
    this.safeBox = h("div", {
      class: "lw-ed-safe",
      style: `left:${this.safe[0] * 100}%;top:${this.safe[1] * 100}%;right:${(1 - this.safe[2]) * 100}%;bottom:${(1 - this.safe[3]) * 100}%`,
    });
    this.tools = h("div", { class: "lw-ed-tools" });
    this.addButton = h("button", { type: "button", onclick: () => this.addText() }, t("add_text"));
    this.el = h(
      "div",
      { class: "lw-ed", role: "group", "aria-label": t("edit_design") },
      h("style", {}, EDITOR_STYLES),
      h("p", { class: "lw-note", id: "lw-ed-help" }, t("editor_help")),
      h("div", { class: "lw-ed-stage" }, h("img", { src: view.mockup_url, alt: "" }), this.area),
      this.tools,
      h(
        "div",
        { class: "lw-bar" },
        this.addButton,
        h("button", { type: "button", class: "lw-main", onclick: () => this.o.onApply(this.body()) }, t("apply_changes")),
        h("button", { type: "button", onclick: () => this.o.onClose() }, t("cancel")),
      ),
    );
    this.selected = this.items[0];
    this.draw();
  }

  // --- what the server takes -------------------------------------------------------------------

  body() {
    const transform = (item) => ({ x: round(item.x), y: round(item.y), scale: round(item.scale), rotation: round(item.rotation) });
    const layout = {};
    for (const item of this.items) if (item.kind !== "text") layout[item.kind] = transform(item);
    const text_layers = this.items
      .filter((item) => item.kind === "text" && item.text.trim())
      .map(({ text, font, color, x, y, size, rotation }) => ({ text, font, color, x: round(x), y: round(y), size: round(size), rotation: round(rotation) }));
    return { layout, text_layers };
  }

  // --- drawing ---------------------------------------------------------------------------------

  draw() {
    this.area.replaceChildren(...this.items.map((item) => this.itemElement(item)), this.safeBox);
    for (const item of this.items) this.place(item);
    this.addButton.disabled = this.items.filter((item) => item.kind === "text").length >= this.o.textMax;
    this.drawTools();
  }

  itemElement(item) {
    const t = this.o.t;
    const label = item.kind === "text" ? `${t("layer_text")}: ${item.text}` : item.label;
    const el = h("div", {
      class: "lw-ed-item" + (item.kind === "artwork" ? " lw-ed-art" : ""),
      tabindex: "0",
      role: "button",
      "aria-label": label,
      "aria-describedby": "lw-ed-help",
      onpointerdown: (event) => this.drag(event, item, "move"),
      onkeydown: (event) => this.onKey(event, item),
      onfocus: () => this.select(item),
    });
    if (item.kind === "artwork") el.style.backgroundImage = `url("${item.url}")`;
    if (item.kind === "photo") el.append(h("img", { src: item.url, alt: "", style: "width:100%;height:100%;object-fit:contain", draggable: "false", onload: (event) => this.photoLoaded(item, event.target) }));
    if (item.kind === "text") el.textContent = item.text;
    item.el = el;
    return el;
  }

  photoLoaded(item, img) {
    item.aspect = img.naturalWidth / img.naturalHeight;
    this.place(item);
  }

  // Size, position and turn of an item's element, then kept in the safe zone like the server does.
  place(item) {
    const el = item.el;
    const area = this.area.getBoundingClientRect();
    if (item.kind === "text") {
      el.style.font = `${item.size * area.height}px "${this.fontName(item.font)}", sans-serif`;
      el.style.color = item.color;
      el.style.width = el.style.height = "";
    } else {
      let [width, height] = [item.scale, item.scale]; // fractions of the area
      if (item.kind === "photo" && item.aspect && area.width) {
        // contained in scale × the area, as the server draws it
        const high = Math.min((item.scale * area.width) / item.aspect, item.scale * area.height);
        [width, height] = [(high * item.aspect) / area.width, high / area.height];
      }
      el.style.width = `${width * 100}%`;
      el.style.height = `${height * 100}%`;
    }
    el.style.left = `${item.x * 100}%`;
    el.style.top = `${item.y * 100}%`;
    el.style.transform = `translate(-50%,-50%) rotate(${item.rotation}deg)`;
    el.classList.toggle("is-on", item === this.selected);
    if (item.kind !== "artwork") this.keepSafe(item, area);
    if (item === this.selected) this.handles(item);
  }

  keepSafe(item, area) {
    if (!area.width) return;
    const box = item.el.getBoundingClientRect(); // after the turn
    const [left, top, right, bottom] = this.safe;
    const shift = (low, high, min, max) => (low < min ? min - low : high > max ? max - high : 0);
    const dx = shift((box.left - area.left) / area.width, (box.right - area.left) / area.width, left, right);
    const dy = shift((box.top - area.top) / area.height, (box.bottom - area.top) / area.height, top, bottom);
    if (!dx && !dy) return;
    item.x = clamp(item.x + dx, 0, 1);
    item.y = clamp(item.y + dy, 0, 1);
    item.el.style.left = `${item.x * 100}%`;
    item.el.style.top = `${item.y * 100}%`;
  }

  // The resize handle on the bottom-right corner, the turn handle above the top edge.
  handles(item) {
    this.area.querySelectorAll(".lw-ed-handle").forEach((handle) => handle.remove());
    const t = this.o.t;
    const area = this.area.getBoundingClientRect();
    const box = item.el.getBoundingClientRect();
    const at = (x, y) => `left:${x - area.left}px;top:${y - area.top}px`;
    this.area.append(
      h("div", { class: "lw-ed-handle", title: t("resize"), style: at(box.right, box.bottom), onpointerdown: (event) => this.drag(event, item, "resize") }),
      h("div", { class: "lw-ed-handle", title: t("rotate"), style: at((box.left + box.right) / 2, box.top - 14), onpointerdown: (event) => this.drag(event, item, "rotate") }),
    );
  }

  drawTools() {
    const t = this.o.t;
    const item = this.selected;
    if (!item || item.kind !== "text") return this.tools.replaceChildren();
    const text = h("input", { type: "text", value: item.text, maxlength: "80", oninput: () => this.update(item, { text: text.value }, true) });
    const font = h(
      "select",
      { onchange: () => this.update(item, { font: font.value }) },
      this.o.fonts.map((choice) => h("option", { value: choice.id, selected: choice.id === item.font }, choice.name)),
    );
    const color = h("input", { type: "color", value: item.color, oninput: () => this.update(item, { color: color.value }) });
    this.tools.replaceChildren(
      field("lw-ed-text", t("layer_text"), text),
      field("lw-ed-font", t("font_label"), font),
      field("lw-ed-color", t("color_label"), color),
      h("button", { type: "button", onclick: () => this.remove(item) }, t("remove_text")),
    );
  }

  fontName(key) {
    return (this.o.fonts.find((font) => font.id === key) || this.o.fonts[0]).name;
  }

  // --- changes ---------------------------------------------------------------------------------

  select(item) {
    if (this.selected === item) return;
    this.selected = item;
    for (const other of this.items) other.el.classList.toggle("is-on", other === item);
    this.handles(item);
    this.drawTools();
  }

  update(item, changes, relabel = false) {
    Object.assign(item, changes);
    if (relabel) {
      item.el.textContent = item.text;
      item.el.setAttribute("aria-label", `${this.o.t("layer_text")}: ${item.text}`);
    }
    this.place(item);
  }

  resize(item, factor) {
    if (item.kind === "text") this.update(item, { size: clamp(item.size * factor, TEXT_SIZE.min, TEXT_SIZE.max) });
    else this.update(item, { scale: clamp(item.scale * factor, SCALE.min, SCALE.max) });
  }

  turn(item, degrees) {
    let rotation = item.rotation + degrees;
    if (rotation > 180) rotation -= 360;
    if (rotation < -180) rotation += 360;
    this.update(item, { rotation });
  }

  addText() {
    const item = { kind: "text", text: this.o.t("text_default"), font: this.o.fonts[0].id, color: "#000000", x: 0.5, y: 0.5, size: 0.1, rotation: 0 };
    this.items.push(item);
    this.selected = item;
    this.draw();
    item.el.focus();
  }

  remove(item) {
    this.items = this.items.filter((other) => other !== item);
    this.selected = this.items[0];
    this.draw();
    this.selected.el.focus();
  }

  onKey(event, item) {
    const step = event.shiftKey ? 5 : 1;
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (moves[event.key]) {
      const [dx, dy] = moves[event.key];
      this.update(item, { x: clamp(item.x + dx * MOVE_STEP * step, 0, 1), y: clamp(item.y + dy * MOVE_STEP * step, 0, 1) });
    } else if (event.key === "+" || event.key === "=") this.resize(item, 1 + 0.05 * step);
    else if (event.key === "-") this.resize(item, 1 / (1 + 0.05 * step));
    else if (event.key === "]") this.turn(item, TURN_STEP * step);
    else if (event.key === "[") this.turn(item, -TURN_STEP * step);
    else if ((event.key === "Delete" || event.key === "Backspace") && item.kind === "text") this.remove(item);
    else return;
    event.preventDefault();
  }

  // One pointer gesture on an item or a handle: move, resize (by the distance to the centre) or
  // turn (by the angle around it). The pointer is captured: the gesture follows it off the area.
  drag(event, item, mode) {
    if (event.button > 0) return;
    event.preventDefault();
    event.stopPropagation();
    item.el.focus();
    this.select(item);
    const target = this.area; // handles are drawn again as the item changes: the area keeps the gesture
    target.setPointerCapture?.(event.pointerId);
    const area = this.area.getBoundingClientRect();
    const centre = { x: area.left + item.x * area.width, y: area.top + item.y * area.height };
    const start = { x: event.clientX, y: event.clientY, item: { ...item } };
    const distance = (x, y) => Math.hypot(x - centre.x, y - centre.y) || 1;
    const angle = (x, y) => (Math.atan2(y - centre.y, x - centre.x) * 180) / Math.PI;
    const moved = (move) => {
      const { clientX: x, clientY: y } = move;
      if (mode === "move") {
        this.update(item, { x: clamp(start.item.x + (x - start.x) / area.width, 0, 1), y: clamp(start.item.y + (y - start.y) / area.height, 0, 1) });
      } else if (mode === "resize") {
        const factor = distance(x, y) / distance(start.x, start.y);
        Object.assign(item, { size: start.item.size, scale: start.item.scale });
        this.resize(item, factor);
      } else {
        Object.assign(item, { rotation: start.item.rotation });
        this.turn(item, angle(x, y) - angle(start.x, start.y));
      }
    };
    const ended = () => {
      target.removeEventListener("pointermove", moved);
      target.removeEventListener("pointerup", ended);
      target.removeEventListener("pointercancel", ended);
    };
    target.addEventListener("pointermove", moved);
    target.addEventListener("pointerup", ended);
    target.addEventListener("pointercancel", ended);
  }
}
