// Tiny DOM helpers: no framework, no innerHTML with data.

// The nodes to insert: nested lists flattened; false, null and undefined (a `cond && node`
// that did not hold) left out, so they never show as the text "false".
function present(children) {
  return children.flat().filter((child) => child != null && child !== false);
}

// h("button", {class: "x", onclick: fn, disabled: true}, "text", child) → element.
// Attributes set to false, null or undefined are left out, and so are such children.
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, "");
    else if (value !== false && value != null) el.setAttribute(name, value);
  }
  el.append(...present(children));
  return el;
}

// A labelled form control: <div class="lw-field"><label/>control<p error/></div>.
function field(id, label, control) {
  control.id = id;
  return h("div", { class: "lw-field" }, h("label", { for: id }, label), control);
}

// Show (or clear, with message "") an error under a control, linked for screen readers.
function fieldError(control, message) {
  const id = control.id + "-error";
  control.parentNode.querySelector("#" + id)?.remove();
  if (message) {
    control.after(h("p", { class: "lw-field-error", id }, message));
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", id);
  } else {
    control.removeAttribute("aria-invalid");
    control.removeAttribute("aria-describedby");
  }
}

function emit(host, name, detail) {
  return host.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable: true }));
}

// "19.90" → 1990: prices are added in cents, never as floats.
function cents(amount) {
  const [units, fraction = ""] = String(amount || "0").split(".");
  const sign = units.startsWith("-") ? -1 : 1;
  return sign * (Math.abs(parseInt(units, 10) || 0) * 100 + parseInt((fraction + "00").slice(0, 2), 10));
}

function decimal(amountCents) {
  return (amountCents / 100).toFixed(2);
}

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

// What went wrong, in words, and a Retry button when the action can be tried again.
function errorBox(t, message, retry) {
  return h(
    "div",
    { class: "lw-error", role: "alert" },
    h("p", {}, message),
    retry && h("button", { type: "button", onclick: retry }, t("retry")),
  );
}
