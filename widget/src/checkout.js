// The built-in checkout (data-luneo-cart="luneo"): the shopper's details and shipping address
// → POST orders. The server computes every price; a submit is sent once (the button waits) and a
// retried one reuses its Idempotency-Key, so it can never create a second order. A brand with a
// Stripe key answers a Stripe Checkout page to pay on, which sends the shopper back with
// ?luneo_payment=<session>; without one the order is a request awaiting payment.

const RETURN_PARAMETER = "luneo_payment";
let paymentResumed = false; // one widget of the page reads the payment it came back with

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
  ["shipping_address.country", "country", { autocomplete: "country", required: true }],
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
    this.button = h("button", { type: "submit", class: "lw-main" }, t(this.widget.config.checkout.payment ? "pay" : "request_order"));
    const fields = CHECKOUT_FIELDS.map(([path, label, attrs]) => {
      const control = h(label === "country" ? "select" : "input", { ...attrs, required: false, "aria-required": attrs.required && "true", name: path });
      this.controls[path] = control;
      return field("lw-" + label, t(label), control);
    });
    this.countries(this.controls["shipping_address.country"]);
    const form = h("form", { novalidate: true, onsubmit: (event) => this.submit(event) }, fields, this.alert, this.button);
    this.el.replaceChildren(h("h3", {}, t("checkout_title")), form);
    this.el.hidden = false;
    this.controls["customer.email"].focus();
  }

  // Every country, named in the shopper's language; the brand's own chosen (else the locale's).
  countries(select) {
    const { config, locale } = this.widget;
    let names = { of: (code) => code };
    try {
      names = new Intl.DisplayNames([locale], { type: "region" });
    } catch (error) {
      // codes it is
    }
    const named = config.checkout.countries.map((code) => [code, names.of(code)]).sort((a, b) => a[1].localeCompare(b[1], locale));
    select.replaceChildren(h("option", { value: "" }), ...named.map(([code, name]) => h("option", { value: code }, name)));
    select.value = config.brand.country || this.widget.country();
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
    if (this.button.disabled) return; // sent already: Enter pressed again, a second click
    this.alert.replaceChildren();
    const invalid = this.missing();
    if (invalid) return invalid.focus();
    this.button.disabled = true;
    const page = new URL(location.href);
    page.searchParams.delete(RETURN_PARAMETER);
    page.hash = "";
    try {
      this.done(await this.widget.api.orderCreate({ ...this.values(), return_url: page.href }, this.idempotencyKey));
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

  // To Stripe Checkout to pay, or, without payment, an order request awaiting payment.
  done(order) {
    if (!order.payment_url) return this.confirm("order_request", order);
    this.el.replaceChildren(h("p", { class: "lw-ok", role: "status" }, this.widget.t("redirecting")));
    location.assign(order.payment_url);
  }

  // Back from Stripe Checkout: the server reads the payment from Stripe, then says how it stands.
  resume() {
    const url = new URL(location.href);
    const session = url.searchParams.get(RETURN_PARAMETER);
    if (!session || paymentResumed) return;
    paymentResumed = true;
    url.searchParams.delete(RETURN_PARAMETER);
    history.replaceState(history.state, "", url); // a reload does not ask again
    this.paid(session);
  }

  async paid(session) {
    try {
      const order = await this.widget.api.paymentConfirm(session);
      this.confirm(order.status === "paid" ? "payment_done" : "payment_pending", order);
    } catch (error) {
      this.widget.fail(error, () => this.paid(session));
    }
  }

  // In place of the form: the message `key` (naming the order's number), then the order's total.
  confirm(key, order) {
    const total = this.widget.formatPrice(cents(order.total), order.currency);
    const message = h("p", { class: "lw-ok", role: "status", tabindex: "-1" }, interpolate(this.widget.t(key), { number: order.number }), " — ", total);
    this.el.replaceChildren(message);
    this.el.hidden = false;
    message.focus();
  }
}
