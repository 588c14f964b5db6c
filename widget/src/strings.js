// English defaults for every UI string. The server sends translations in config.strings;
// these are used until the configuration arrives, and when it cannot be loaded.
const DEFAULT_STRINGS = {
  title: "Personalize it",
  loading: "Loading…",
  prompt_label: "Describe your design",
  prompt_placeholder: "A fox in a misty forest, watercolour",
  style_label: "Style",
  style_none: "Any style",
  text_label: "Add text",
  photo_label: "Add a photo",
  generate: "Create my design",
  generating: "Creating your design…",
  step_queued: "Waiting for a free designer",
  step_moderate: "Checking your request",
  step_generate: "Drawing your design",
  step_composite: "Placing it on the product",
  step_export: "Preparing print files",
  step_done: "Your design is ready",
  rejected: "This request cannot be printed. Try another description.",
  failed: "Your design could not be created.",
  retry: "Retry",
  view_3d: "View in 3D",
  view_ar: "View in your space",
  close: "Close",
  zoom_in: "Zoom in",
  zoom_out: "Zoom out",
  views_label: "Views",
  preview_alt: "Preview of %(view)s",
  variant_label: "Variant",
  options_label: "Options",
  quantity_label: "Quantity",
  quantity_invalid: "Enter a whole number from 1 to %(max)s.",
  price_label: "Price",
  add_to_cart: "Add to cart",
  checkout_title: "Your details",
  email: "Email",
  name: "Full name",
  phone: "Phone (optional)",
  line1: "Address",
  line2: "Address line 2 (optional)",
  city: "City",
  postal_code: "Postal code",
  region: "Region (optional)",
  country: "Country (2-letter code)",
  place_order: "Place order",
  order_placed: "Order %(number)s placed",
  origin_not_allowed: "This website is not allowed to show this product designer.",
  network_error: "The connection failed. Check your network and try again.",
  offline_label: "Offline preview generator",
  required: "This field is required.",
  powered_by: "Powered by Luneo",
};

// Design statuses in pipeline order, with the string describing each.
const STEPS = [
  ["queued", "step_queued"],
  ["moderating", "step_moderate"],
  ["generating", "step_generate"],
  ["compositing", "step_composite"],
  ["exporting", "step_export"],
];
const FINAL_STATUSES = ["ready", "rejected", "failed"];

// "%(number)s" placeholders, as Django's gettext uses them.
function interpolate(text, params) {
  return text.replace(/%\((\w+)\)s/g, (match, name) => (name in params ? params[name] : match));
}
