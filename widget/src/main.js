// The public side: window.Luneo.mount(), and every <div data-luneo-product> mounted on its
// own, including those the page adds later.

const mounted = new WeakMap(); // element → handle

// Luneo.mount(el, {product, variant, locale, theme, cart, shopVariant, onAddToCart, key}) → {element, unmount()}.
// Options left out are read from the element's data-luneo-* attributes, the key from the script tag.
function mount(element, options = {}) {
  if (typeof element === "string") element = document.querySelector(element);
  if (!element) throw new Error("Luneo.mount: no such element");
  mounted.get(element)?.unmount();
  const data = element.dataset;
  const variant = options.variant ?? data.luneoVariant;
  const widget = new Widget(element, {
    ...options,
    key: options.key || data.luneoKey || SCRIPT?.dataset.luneoKey || "",
    cart: options.cart || data.luneoCart || SCRIPT?.dataset.luneoCart || "luneo",
    product: options.product || data.luneoProduct,
    variant: variant ? String(variant) : "",
    locale: options.locale || data.luneoLocale || navigator.language || "",
  });
  const handle = {
    element,
    unmount() {
      widget.destroy();
      mounted.delete(element);
    },
  };
  mounted.set(element, handle);
  return handle;
}

function mountAll(node) {
  if (!(node instanceof Element)) return;
  const found = [...node.querySelectorAll("[data-luneo-product]")];
  if (node.matches("[data-luneo-product]")) found.unshift(node);
  for (const element of found) if (!mounted.has(element)) mount(element);
}

if (!window.Luneo) {
  window.Luneo = { version: "1", mount };
  mountAll(document.documentElement);
  new MutationObserver((records) => {
    for (const record of records) record.addedNodes.forEach(mountAll);
  }).observe(document.documentElement, { childList: true, subtree: true });
}
