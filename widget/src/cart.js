// The merchant's own cart, on the page's origin: data-luneo-cart="shopify" or "woocommerce".
// Each adds one line carrying the design's id where that shop's order webhook reads it
// (`_luneo_design`, apps/integrations), and answers the address of the shop's cart page.

// A request to the shop itself, with the shopper's cookies; ApiError with the shop's message if refused.
async function shopFetch(url, body, headers = {}) {
  let response;
  try {
    response = await fetch(url, {
      method: body ? "POST" : "GET",
      credentials: "same-origin",
      headers: { Accept: "application/json", ...(body && { "Content-Type": "application/json" }), ...headers },
      body: body && JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError("network_error", "");
  }
  if (response.ok) return response;
  const data = await response.json().catch(() => ({}));
  throw new ApiError(data.code || "cart_refused", data.description || data.message || "", response.status);
}

// WooCommerce's Store API wants the cart session's Nonce (and takes its Cart-Token): both come
// with every answer of /cart, the last ones are sent back; a stale nonce is fetched again once.
const woo = { nonce: "", token: "" };

async function wooRequest(path, body, retried = false) {
  const root = document.querySelector('link[rel="https://api.w.org/"]')?.href || location.origin + "/wp-json/";
  if (body && !woo.nonce) await wooRequest("");
  const headers = woo.nonce ? { Nonce: woo.nonce, ...(woo.token && { "Cart-Token": woo.token }) } : {};
  try {
    const response = await shopFetch(root + "wc/store/v1/cart" + path, body, headers);
    woo.nonce = response.headers.get("Nonce") || woo.nonce;
    woo.token = response.headers.get("Cart-Token") || woo.token;
  } catch (error) {
    if (retried || !body || (error.status !== 401 && error.status !== 403)) throw error;
    woo.nonce = "";
    await wooRequest(path, body, true);
  }
}

const SHOP_CARTS = {
  // Shopify's Ajax Cart API; the design is a hidden line item property (leading underscore).
  async shopify(item, variant) {
    const root = window.Shopify?.routes?.root || "/";
    const line = { id: Number(variant) || variant, quantity: item.quantity, properties: { _luneo_design: item.design_id } };
    await shopFetch(root + "cart/add.js", { items: [line] });
    return root + "cart";
  },
  // WooCommerce's Store API; `cart_item_data` is handed to the shop's
  // woocommerce_store_api_add_to_cart_data filter, which keeps `_luneo_design` (widget/README.md).
  async woocommerce(item, variant) {
    await wooRequest("/add-item", { id: Number(variant), quantity: item.quantity, cart_item_data: { _luneo_design: item.design_id } });
    return window.wcSettings?.storePages?.cart?.permalink || "/cart/";
  },
};
