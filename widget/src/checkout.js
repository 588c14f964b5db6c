// The built-in checkout: the shopper's details and shipping address → POST orders.
// The server computes every price; a retried submit reuses its Idempotency-Key, so it can
// never create a second order.

// [path in the API body and in its 422 details.fields, string key, input attributes]
const CHECKOUT_FIELDS = [
  ["customer.email", "email", { type: "email", autocomplete: "email", required: true }],
  ["customer.name", "name", { autocomplete: "name", required: true }],
  ["customer.phone", "phone", { type: "tel", autocomplete: "tel" }],
  ["shipping_address.line1", "line1", { autocomplete: "address-line1", required: true }],
  ["shipping_address.line2", "line2", { autocomplete: "address-line2" }],
  ["shipping_address.city", "city", { autocomplete: "address-level2", required: true }],
  ["shipping_address.postal_code", "postal_code", { autocomplete: "postal-code", required: true }],
  ["shipping_address.region", "region", { autocomplete: "address-level1" }],
  ["shipping_address.country", "country", { autocomplete: "country", required: true, maxlength: "2" }],
];

class Checkout {
  // widget: its t(), api, country(), formatPrice() and fail()
  constructor(widget) {
    this.widget = widget;
    this.el = h("section", { class: "lw-checkout", hidden: true });
  }

  // order(): {design, quantity, options} as chosen when the shopper submits
  open(order) {
    const t = this.widget.t;
    this.order = order;
    this.idempotencyKey = uuid();
    this.controls = {};
    this.alert = h("div", {});
    this.button = h("button", { type: "submit", class: "lw-main" }, t("place_order"));
    const fields = CHECKOUT_FIELDS.map(([path, label, attrs]) => {
      const control = h("input", { ...attrs, required: false, "aria-required": attrs.required && "true", name: path });
      this.controls[path] = control;
      return field("lw-" + label, t(label), control);
    });
    this.controls["shipping_address.country"].value = this.widget.country();
    const form = h("form", { novalidate: true, onsubmit: (event) => this.submit(event) }, fields, this.alert, this.button);
    this.el.replaceChildren(h("h3", {}, t("checkout_title")), form);
    this.el.hidden = false;
    this.controls["customer.email"].focus();
  }

  close() {
    this.el.hidden = true;
    this.el.replaceChildren();
  }

  values() {
    const body = { ...this.order(), customer: {}, shipping_address: {} };
    for (const [path, control] of Object.entries(this.controls)) {
      const [group, name] = path.split(".");
      const value = control.value.trim();
      if (value) body[group][name] = name === "country" ? value.toUpperCase() : value;
    }
    body.shipping_address.name = body.customer.name;
    return body;
  }

  // Required fields first, in the browser; the server checks everything again.
  missing() {
    let first = null;
    for (const [path, label, attrs] of CHECKOUT_FIELDS) {
      const control = this.controls[path];
      const empty = attrs.required && !control.value.trim();
      fieldError(control, empty ? this.widget.t("required") : "");
      if (empty) first = first || control;
    }
    return first;
  }

  async submit(event) {
    event?.preventDefault();
    this.alert.replaceChildren();
    const invalid = this.missing();
    if (invalid) return invalid.focus();
    this.button.disabled = true;
    try {
      this.done(await this.widget.api.orderCreate(this.values(), this.idempotencyKey));
    } catch (error) {
      this.button.disabled = false;
      const rejected = error.status === 422;
      if (rejected) this.idempotencyKey = uuid(); // a corrected form is a new order
      this.widget.fail(error, rejected ? null : () => this.submit(), this.alert);
      if (rejected) this.showFieldErrors(error.details.fields || {});
    }
  }

  // 422 details.fields next to their controls; the others (quantity…) in the alert.
  showFieldErrors(fields) {
    let first = null;
    for (const [path, messages] of Object.entries(fields)) {
      const message = [].concat(messages).join(" ");
      const control = this.controls[path];
      if (control) fieldError(control, message);
      else this.alert.firstChild.append(h("p", {}, message));
      first = first || control;
    }
    first?.focus();
  }

  done(order) {
    const t = this.widget.t;
    const total = this.widget.formatPrice(cents(order.total), order.currency);
    this.el.replaceChildren(
      h("p", { class: "lw-ok", role: "status", tabindex: "-1" }, interpolate(t("order_placed"), { number: order.number }), " — ", total),
    );
    this.el.firstChild.focus();
  }
}
