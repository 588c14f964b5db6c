// One mounted widget: configuration → design form → live progress → preview → price → cart.

// Set-up errors: the site, the key, the workspace or the product named on the page.
let editorLoading = null; // one load per page, shared by every widget

const MERCHANT_ERRORS = ["origin_not_allowed", "publishable_key_invalid", "tenant_suspended", "product_not_found", "cart_not_configured"];
const REORDER_PARAMETER = "luneo_reorder"; // a saved design, from a link in the brand's e-mails
let reorderTaken = false; // one widget of the page opens it

class Widget {
  // options: {key, product, variant, locale, theme, cart, shopVariant, onAddToCart}
  constructor(host, options) {
    this.host = host;
    this.options = options;
    this.api = new Api(BASE, options.key, options.locale);
    this.strings = {};
    this.t = (key) => this.strings[key] || DEFAULT_STRINGS[key] || key;
    this.root = host.shadowRoot || host.attachShadow({ mode: "open" });
    this.alerts = h("div", {});
    this.el = h("div", { class: "lw" });
    this.root.replaceChildren(h("style", {}, STYLES), this.el);
    this.load();
  }

  destroy() {
    this.destroyed = true;
    this.stopFollowing?.();
    this.root.replaceChildren();
  }

  async load() {
    const loading = h("p", { role: "status" }, this.t("loading"));
    this.alerts.replaceChildren();
    this.el.replaceChildren(this.alerts, loading);
    try {
      const config = await this.api.config(this.options.product);
      if (this.destroyed) return;
      this.build(config);
      emit(this.host, "luneo:ready", { product: config.product.sku });
    } catch (error) {
      loading.remove();
      this.fail(error, () => this.load());
    }
  }

  // --- errors ---------------------------------------------------------------------------

  // The server's message (translated for the locale) or, without one, ours.
  message(error) {
    if (error.message) return error.message;
    return this.t(["network_error", "rejected"].includes(error.code) ? error.code : "failed");
  }

  // Tell the page (a luneo:error event) and the shopper (an alert, with Retry if it may help).
  // What only the merchant can fix (MERCHANT_ERRORS) shows the shopper a neutral line, without
  // Retry, and the merchant's developer what to fix, on the console.
  fail(error, retry, where = this.alerts) {
    if (this.destroyed) return;
    const message = this.message(error);
    const merchant = MERCHANT_ERRORS.includes(error.code);
    emit(this.host, "luneo:error", { code: error.code || "failed", message });
    if (merchant) console.error(`Luneo widget, ${error.code}: ${message}`, error.details);
    where.replaceChildren(errorBox(this.t, merchant ? this.t("unavailable") : message, !merchant && retry));
  }

  // --- layout ---------------------------------------------------------------------------

  build(config) {
    this.config = config;
    this.strings = config.strings || {};
    this.locale = config.locale || "en";
    this.el.lang = this.locale; // screen readers pronounce the strings in their language
    this.theme(config.brand);
    const t = this.t;
    const brand = config.brand;
    this.stage = new Stage(t, this.el);
    this.checkout = new Checkout(this);
    this.live = h("p", { "aria-live": "polite", role: "status" });
    this.bar = h("progress", { max: "100", value: "0", "aria-label": t("generating") });
    this.steps = h("ol", { class: "lw-steps" });
    this.progress = h("div", { class: "lw-progress", hidden: true }, this.bar, this.steps);
    this.offlineNote = h("p", { class: "lw-note", hidden: true }, t("offline_label"));
    this.editButton = h("button", { type: "button", onclick: () => this.openEditor() }, t("edit_design"));
    this.varyButton = h("button", { type: "button", onclick: () => this.regenerate() }, t("regenerate"));
    this.designBar = h("div", { class: "lw-bar", hidden: true }, this.editButton, this.varyButton);
    this.el.replaceChildren(
      ...present([
        h(
          "div",
          { class: "lw-head" },
          brand.logo_url && h("img", { src: brand.logo_url, alt: brand.name }),
          h("h2", {}, t("title")),
        ),
        h("p", {}, config.product.name),
        this.alerts,
        h(
          "div",
          { class: "lw-cols" },
          h("div", {}, this.stage.el, this.designBar, this.offlineNote),
          h("div", {}, this.designForm(), this.live, this.progress, this.purchase()),
        ),
        this.checkout.el,
        config.brand.powered_by && h("p", { class: "lw-foot" }, t("powered_by")),
      ]),
    );
    this.showMockups();
    this.updatePrice();
    this.checkout.resume();
    this.reorder();
  }

  // Brand colours and font, then the merchant's theme option on top.
  theme(brand) {
    const font = brand.font || {};
    if (font.url && window.FontFace) {
      const face = new FontFace(font.name, `url("${font.url}")`);
      document.fonts.add(face); // the page's document.fonts.ready now waits for it too
      face.load().catch(() => document.fonts.delete(face)); // the system font will do
    }
    const theme = this.options.theme || {};
    const vars = {
      primary: theme.primary || brand.primary_color,
      secondary: theme.secondary || brand.secondary_color,
      font: theme.font || (font.name && `"${font.name}"`),
      radius: theme.radius,
    };
    for (const [name, value] of Object.entries(vars)) if (value) this.el.style.setProperty("--lw-" + name, value);
  }

  designForm() {
    const t = this.t;
    const { brand, variants, styles, limits } = this.config;
    this.variantSelect = variants.length
      ? h(
          "select",
          { onchange: () => this.variantChanged() },
          h("option", { value: "" }, this.config.product.name),
          variants.map((variant) => h("option", { value: variant.id }, variant.name)),
        )
      : null;
    if (this.variantSelect && this.options.variant) this.variantSelect.value = this.options.variant;
    this.prompt = h("textarea", { maxlength: limits.prompt_max_length, placeholder: t("prompt_placeholder"), "aria-required": "true" });
    this.style = styles.length
      ? h("select", {}, h("option", { value: "" }, t("style_none")), styles.map((style) => h("option", { value: style.id }, style.label)))
      : null;
    this.text = brand.allow_text_layers ? h("input", { type: "text", maxlength: "80" }) : null;
    this.photo = brand.allow_photo_upload ? h("input", { type: "file", accept: "image/jpeg,image/png,image/webp" }) : null;
    this.createButton = h("button", { type: "submit", class: "lw-main" }, t("generate"));
    return h(
      "form",
      { novalidate: true, onsubmit: (event) => this.createDesign(event) },
      this.variantSelect && field("lw-variant", t("variant_label"), this.variantSelect),
      field("lw-prompt", t("prompt_label"), this.prompt),
      this.style && field("lw-style", t("style_label"), this.style),
      this.text && field("lw-text", t("text_label"), this.text),
      this.photo && field("lw-photo", t("photo_label"), this.photo),
      this.createButton,
    );
  }

  purchase() {
    const t = this.t;
    const { options, limits } = this.config;
    this.optionBoxes = options.map((option) =>
      h("input", { type: "checkbox", value: option.id, onchange: () => this.updatePrice() }),
    );
    this.quantity = h("input", { type: "number", min: "1", max: limits.quantity_max, value: "1", inputmode: "numeric", oninput: () => this.updatePrice() });
    // Polite live region: a screen reader hears the new total when options or quantity change.
    this.price = h("p", { class: "lw-price", id: "lw-price", "aria-live": "polite", "aria-atomic": "true" });
    this.cartButton = h("button", { type: "button", class: "lw-main", disabled: true, onclick: () => this.addToCart() }, t("add_to_cart"));
    this.cartStatus = h("p", { role: "status" });
    return h(
      "div",
      {},
      options.length > 0 &&
        h(
          "fieldset",
          {},
          h("legend", {}, t("options_label")),
          options.map((option, index) =>
            h("label", { class: "lw-check" }, this.optionBoxes[index], `${option.name} (+${this.formatPrice(cents(option.price_delta))})`),
          ),
        ),
      field("lw-quantity", t("quantity_label"), this.quantity),
      h("p", { class: "lw-sr" }, t("price_label")),
      this.price,
      this.cartButton,
      this.cartStatus,
    );
  }

  // --- price ----------------------------------------------------------------------------

  variant() {
    const id = this.variantSelect?.value;
    return this.config.variants.find((variant) => String(variant.id) === id) || null;
  }

  chosenOptions() {
    return this.config.options.filter((option, index) => this.optionBoxes[index].checked);
  }

  quantityValue() {
    const value = Number(this.quantity.value);
    const valid = Number.isInteger(value) && value >= 1 && value <= this.config.limits.quantity_max;
    fieldError(this.quantity, valid ? "" : interpolate(this.t("quantity_invalid"), { max: this.config.limits.quantity_max }));
    return valid ? value : null;
  }

  // (variant price or product price + options) × quantity, in cents.
  totalCents() {
    const unit = cents((this.variant() || this.config.product).price);
    const extras = this.chosenOptions().reduce((sum, option) => sum + cents(option.price_delta), 0);
    return (unit + extras) * (this.quantityValue() || 0);
  }

  formatPrice(amountCents, currency = this.config.product.currency) {
    try {
      return new Intl.NumberFormat(this.formatLocale(), { style: "currency", currency }).format(amountCents / 100);
    } catch (error) {
      return `${decimal(amountCents)} ${currency}`;
    }
  }

  // The shopper's own locale (fr-CA) when it is the language the server answered in.
  formatLocale() {
    const asked = this.options.locale || "";
    return asked.toLowerCase().startsWith(this.locale.slice(0, 2)) ? asked : this.locale;
  }

  // A default for the checkout's country: the region of the locale (fr-FR → FR).
  country() {
    const region = (this.options.locale || "").split("-")[1] || "";
    return /^[A-Za-z]{2}$/.test(region) ? region.toUpperCase() : "";
  }

  updatePrice() {
    this.price.textContent = this.formatPrice(this.totalCents());
    this.cartButton.disabled = !this.design || !this.quantityValue();
  }

  // --- design ---------------------------------------------------------------------------

  variantChanged() {
    this.resetDesign(); // a design is made for one variant: a new choice needs a new design
    this.updatePrice();
  }

  showMockups() {
    const variant = this.variant();
    const views = this.config.views.filter((view) => !view.variant || view.variant === variant?.id);
    this.stage.show(views.map((view) => ({ name: view.name, url: view.mockup_url })));
  }

  resetDesign() {
    this.stopFollowing?.();
    this.closeEditor();
    this.design = null;
    this.designBar.hidden = true;
    this.checkout.close();
    this.cartStatus.replaceChildren();
    this.showMockups();
  }

  designBody() {
    const body = {
      product: this.config.product.sku,
      variant: this.variant()?.id ?? null,
      prompt: this.prompt.value.trim(),
      style: this.style?.value || "",
      text_layers: this.text?.value.trim() ? [{ text: this.text.value.trim(), x: 0.5, y: 0.85, size: 0.08 }] : [],
    };
    const photo = this.photo?.files[0];
    if (!photo) return body;
    const form = new FormData();
    for (const [name, value] of Object.entries(body)) {
      if (value != null) form.append(name, typeof value === "object" ? JSON.stringify(value) : value);
    }
    form.append("photo", photo);
    return form;
  }

  createDesign(event) {
    event?.preventDefault();
    this.alerts.replaceChildren();
    fieldError(this.prompt, this.prompt.value.trim() ? "" : this.t("required"));
    if (!this.prompt.value.trim()) return this.prompt.focus();
    this.resetDesign();
    this.track(() => this.api.designCreate(this.designBody()));
  }

  // The same prompt, style, text and photo generated again: nothing to retype.
  regenerate() {
    const id = this.design.id;
    this.resetDesign();
    this.track(() => this.api.designVary(id));
  }

  // Send a request answering with a design (202) and follow it to the end. A refused request
  // (an edit's new text, say) gives `previous` back to the shopper as it was.
  async track(request, previous = null) {
    this.alerts.replaceChildren();
    this.createButton.disabled = true;
    this.showProgress({ status: "queued", progress: 0 });
    try {
      const design = await request();
      if (this.destroyed) return;
      this.stopFollowing = this.api.follow(
        design,
        (state) => this.designUpdated(design.id, state),
        (error) => this.designFailed(error),
      );
    } catch (error) {
      this.designFailed(error);
      if (previous) this.designReady(previous);
    }
  }

  // --- reorder: a saved design, from the page's address ------------------------------------

  // The design of the page's ?luneo_reorder=: ready to order when it is of this product, else its
  // words in the form, to make it on this one. The address loses it: a reload does not repeat it.
  async reorder() {
    const url = new URL(location.href);
    const token = url.searchParams.get(REORDER_PARAMETER);
    if (!token || reorderTaken) return;
    reorderTaken = true;
    url.searchParams.delete(REORDER_PARAMETER);
    history.replaceState(history.state, "", url);
    try {
      const design = await this.api.reorder(token);
      if (this.destroyed) return;
      this.prefill(design);
      if (design.product !== this.config.product.sku) {
        this.live.textContent = this.t("reorder_other_product");
        return;
      }
      if (this.variantSelect) this.variantSelect.value = design.variant ?? "";
      this.designReady(design);
    } catch (error) {
      this.fail(new ApiError(error.code, this.t("reorder_failed"))); // no retry: the form is there
    }
  }

  prefill(design) {
    this.prompt.value = design.prompt;
    if (this.style) this.style.value = design.style;
    if (this.text) this.text.value = design.text_layers[0]?.text || "";
  }

  // --- editor (loaded on first use) -------------------------------------------------------

  async openEditor() {
    const design = this.design;
    this.editButton.disabled = true;
    try {
      editorLoading = editorLoading || import(BASE + "/widget/v1/editor.js");
      const { Editor } = await editorLoading;
      if (this.design !== design) return;
      const views = this.config.views.filter((view) => !view.variant || view.variant === this.variant()?.id);
      this.editor = new Editor({
        t: this.t,
        view: views.find((view) => view.name === this.stage.current) || views[0],
        design,
        fonts: this.config.fonts,
        textMax: this.config.limits.text_layers_max,
        onApply: (body) => this.applyEdit(design, body),
        onClose: () => this.closeEditor(),
      });
      this.stage.el.hidden = this.designBar.hidden = true;
      this.stage.el.after(this.editor.el);
      this.editor.el.querySelector(".lw-ed-item").focus();
    } catch (error) {
      editorLoading = null;
      this.fail(new ApiError("network_error"), () => this.openEditor());
    }
    this.editButton.disabled = false;
  }

  closeEditor() {
    if (!this.editor) return;
    this.editor.el.remove();
    this.editor = null;
    this.stage.el.hidden = false;
    this.designBar.hidden = !this.design;
  }

  applyEdit(design, body) {
    this.resetDesign();
    this.track(() => this.api.designEdit(design.id, body), design);
  }

  showProgress(state) {
    const index = STEPS.findIndex(([status]) => status === state.status);
    const done = state.status === "ready";
    this.progress.hidden = false;
    this.bar.value = state.progress ?? (done ? 100 : ((index + 1) / (STEPS.length + 1)) * 100);
    this.live.textContent = this.t(done ? "step_done" : STEPS[Math.max(index, 0)][1]);
    this.steps.replaceChildren(
      ...STEPS.map(([status, key], position) =>
        h("li", { class: done || position < index ? "is-done" : position === index ? "is-current" : "" }, this.t(key)),
      ),
    );
  }

  async designUpdated(id, state) {
    if (this.destroyed) return;
    if (state.status === "rejected" || state.status === "failed") {
      const error = state.error || {};
      const failure = new ApiError(error.code || state.status, error.message || this.t(state.status));
      return this.designFailed(failure, state.status === "rejected");
    }
    this.showProgress(state);
    if (Object.keys(state.previews || {}).length) this.showPreviews(state); // before the print files
    if (state.status !== "ready") return;
    try {
      this.designReady(await this.api.design(id)); // the full design: previews of every view, 3D model
    } catch (error) {
      this.designFailed(error);
    }
  }

  designReady(design) {
    this.design = design;
    this.createButton.disabled = false;
    this.progress.hidden = true;
    this.designBar.hidden = false;
    this.editButton.disabled = !design.editable;
    this.showPreviews(design);
    this.updatePrice();
    emit(this.host, "luneo:design-ready", { design_id: design.id, preview_url: this.previewUrl() });
    this.api.funnel(design.id, "preview_ready");
  }

  // Artwork made without an AI service says so (the `offline` provider).
  showPreviews(design) {
    this.offlineNote.hidden = !design.offline;
    this.stage.show(
      Object.entries(design.previews || {}).map(([name, url]) => ({ name, url })),
      design.model_url,
    );
  }

  // A refused prompt needs new words, not a retry: back to the prompt. Anything else may pass.
  designFailed(error, refused = error.status === 422) {
    this.stopFollowing?.();
    this.createButton.disabled = false;
    this.progress.hidden = true;
    this.live.textContent = "";
    this.fail(error, refused ? null : () => this.createDesign());
    if (refused) this.prompt.focus();
  }

  previewUrl() {
    const previews = this.design.previews || {};
    return previews[this.stage.current] || Object.values(previews)[0] || null;
  }

  // --- cart -----------------------------------------------------------------------------

  addToCart() {
    const quantity = this.quantityValue();
    if (!this.design || !quantity) return;
    const options = this.chosenOptions().map((option) => option.id);
    const detail = {
      design_id: this.design.id,
      price: decimal(this.totalCents()),
      currency: this.config.product.currency,
      preview_url: this.previewUrl(),
      quantity,
      options,
    };
    const proceed = emit(this.host, "luneo:add-to-cart", detail);
    this.api.funnel(this.design.id, "add_to_cart");
    const cart = this.options.cart;
    if (this.options.onAddToCart) return this.options.onAddToCart(detail); // the page's own cart
    if (!proceed || cart === "custom") return; // the page acts on luneo:add-to-cart
    if (cart === "luneo") this.checkout.open(() => ({ design: this.design.id, quantity: this.quantityValue(), options }));
    else this.shopCartAdd(cart, detail);
  }

  // Into the shop's own cart (cart.js): the variant is read now, as the page's picker may change it.
  async shopCartAdd(cart, detail) {
    const t = this.t;
    const variant = this.options.shopVariant || this.host.dataset.luneoShopVariant;
    this.alerts.replaceChildren();
    this.cartButton.disabled = true;
    try {
      if (!SHOP_CARTS[cart] || !variant) {
        throw new ApiError("cart_not_configured", `data-luneo-cart is "${cart}": set it to shopify, woocommerce, luneo or custom, and data-luneo-shop-variant to the shop's variant (Shopify) or product (WooCommerce) id.`);
      }
      const url = await SHOP_CARTS[cart](detail, variant);
      this.cartStatus.replaceChildren(t("added_to_cart"), " ", h("a", { href: url }, t("view_cart")));
      emit(this.host, "luneo:added-to-cart", { ...detail, cart });
    } catch (error) {
      this.fail(error, () => this.shopCartAdd(cart, detail));
    }
    this.updatePrice(); // the button again
  }
}
