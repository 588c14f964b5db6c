// DEFAULT_STRINGS, the English text, is written before this file by widget/build.py from the
// server's catalogue (apps/storefront/strings.py); the server sends translations in config.strings.

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
