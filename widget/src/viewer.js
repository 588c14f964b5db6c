// The product stage: one image per view (the mockup before a design, its preview after),
// a view switcher, zoom (buttons, and + - 0 keys on the image) and the 3D/AR viewer, whose
// library is loaded from our host only when it is first opened.

const ZOOM_MAX = 3;
const ZOOM_STEP = 0.5;
let modelViewerLoading = null; // one load per page, shared by every widget

function modelViewerLoad() {
  modelViewerLoading =
    modelViewerLoading ||
    import(BASE + "/widget/v1/model-viewer.js").catch((error) => {
      modelViewerLoading = null; // let a later click try again
      throw error;
    });
  return modelViewerLoading;
}

class Stage {
  constructor(t, container) {
    this.t = t;
    this.container = container; // the widget's styled box, where the 3D dialog is added
    this.images = [];
    this.current = null;
    this.zoom = 1;
    this.modelUrl = null;
    this.img = h("img", { alt: "" });
    this.frame = h("div", { class: "lw-stage", tabindex: "0", onkeydown: (event) => this.onKey(event) }, this.img);
    this.switcher = h("div", { class: "lw-bar", role: "group", "aria-label": t("views_label") });
    this.button3d = h("button", { type: "button", hidden: true, onclick: () => this.open3d() }, t("view_3d"));
    const tools = h(
      "div",
      { class: "lw-bar" },
      h("button", { type: "button", onclick: () => this.zoomBy(ZOOM_STEP), "aria-label": t("zoom_in") }, "+"),
      h("button", { type: "button", onclick: () => this.zoomBy(-ZOOM_STEP), "aria-label": t("zoom_out") }, "−"),
      this.button3d,
    );
    this.el = h("div", { class: "lw-view" }, this.frame, this.switcher, tools);
  }

  // images: [{name, url}]; keeps the view the shopper was looking at when it still exists.
  show(images, modelUrl) {
    this.images = images;
    this.modelUrl = modelUrl || null;
    this.button3d.hidden = !this.modelUrl;
    const names = images.map((image) => image.name);
    this.select(names.includes(this.current) ? this.current : names[0]);
  }

  select(name) {
    this.current = name;
    const image = this.images.find((candidate) => candidate.name === name);
    this.el.hidden = !image;
    if (!image) return;
    this.img.src = image.url;
    this.img.alt = interpolate(this.t("preview_alt"), { view: name });
    this.switcher.replaceChildren(
      ...(this.images.length > 1 ? this.images : []).map((candidate) =>
        h(
          "button",
          { type: "button", "aria-pressed": String(candidate.name === name), onclick: () => this.select(candidate.name) },
          candidate.name,
        ),
      ),
    );
  }

  zoomBy(step) {
    this.zoom = Math.min(ZOOM_MAX, Math.max(1, this.zoom + step));
    this.img.style.transform = this.zoom === 1 ? "" : `scale(${this.zoom})`;
  }

  onKey(event) {
    const steps = { "+": ZOOM_STEP, "=": ZOOM_STEP, "-": -ZOOM_STEP, 0: 1 - this.zoom };
    if (!(event.key in steps)) return;
    event.preventDefault();
    this.zoomBy(steps[event.key]);
  }

  // A modal <dialog> (focus kept inside, Escape closes) with <model-viewer>: camera
  // controls, and AR on phones that support it. A loader shows until the model is drawn
  // (the library, then the model: seconds on a slow network), with its progress once known.
  open3d() {
    const t = this.t;
    const bar = h("progress", { max: "1" });
    const loader = h("div", { class: "lw-3d-load", role: "status" }, bar, t("loading_3d"));
    const failed = () => loader.replaceChildren(h("p", { role: "alert" }, t("network_error")));
    const viewer = h("model-viewer", {
      src: this.modelUrl,
      alt: t("view_3d"),
      ar: true,
      "ar-modes": "webxr scene-viewer quick-look",
      "camera-controls": true,
      "auto-rotate": true,
      onprogress: (event) => (bar.value = event.detail.totalProgress),
      onload: () => loader.remove(),
      onerror: failed,
    });
    viewer.append(h("button", { slot: "ar-button", type: "button" }, t("view_ar")));
    const dialog = h(
      "dialog",
      { class: "lw-3d", "aria-label": t("view_3d"), onclose: () => this.closed3d(dialog) },
      h("div", { class: "lw-bar" }, h("button", { type: "button", onclick: () => dialog.close() }, t("close"))),
      viewer,
      loader,
    );
    this.container.append(dialog);
    dialog.showModal();
    modelViewerLoad().catch(failed);
  }

  closed3d(dialog) {
    dialog.remove();
    this.button3d.focus();
  }
}
