// Everything the widget looks like, inside its shadow root: the page's CSS cannot reach in,
// and nothing here leaks out. Brand colours and font arrive as custom properties.
const STYLES = `
:host { display: block; }
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
.lw { --lw-primary: #111827; --lw-secondary: #6366f1; color: #1f2937; font: 15px/1.45 var(--lw-font, system-ui), system-ui, sans-serif; border: 1px solid #e5e7eb; border-radius: var(--lw-radius, 10px); padding: 16px; background: #fff; max-width: 100%; }
.lw-head { display: flex; align-items: center; gap: 10px; margin: 0 0 12px; }
.lw-head img { max-height: 32px; max-width: 120px; }
h2, h3 { margin: 0; font-size: 1.15em; color: var(--lw-primary); }
.lw-cols { display: flex; flex-wrap: wrap; gap: 16px; }
.lw-cols > * { flex: 1 1 280px; min-width: 0; }
.lw-field { display: flex; flex-direction: column; gap: 4px; margin: 0 0 12px; }
label, legend { font-weight: 600; font-size: .92em; }
input, select, textarea, button { font: inherit; color: inherit; }
input, select, textarea { width: 100%; padding: 8px 10px; border: 1px solid #9ca3af; border-radius: 6px; background: #fff; }
textarea { min-height: 84px; resize: vertical; }
fieldset { border: 0; padding: 0; margin: 0 0 12px; }
.lw-check { display: flex; gap: 8px; align-items: center; font-weight: 400; }
.lw-check input { width: auto; }
button { cursor: pointer; border-radius: 6px; padding: 9px 14px; border: 1px solid var(--lw-primary); background: #fff; color: var(--lw-primary); min-height: 40px; }
button.lw-main { background: var(--lw-primary); color: #fff; font-weight: 600; width: 100%; }
button[disabled] { opacity: .55; cursor: not-allowed; }
button[aria-pressed="true"] { background: var(--lw-secondary); border-color: var(--lw-secondary); color: #fff; }
:focus-visible { outline: 3px solid var(--lw-secondary); outline-offset: 2px; }
[aria-invalid="true"] { border-color: #b91c1c; }
.lw-field-error, .lw-error p { color: #b91c1c; margin: 0; font-size: .9em; }
.lw-error { border: 1px solid #fca5a5; background: #fef2f2; border-radius: 6px; padding: 10px; margin: 0 0 12px; display: flex; gap: 10px; align-items: center; justify-content: space-between; flex-wrap: wrap; }
.lw-progress { margin: 0 0 12px; }
.lw-progress progress { width: 100%; height: 10px; accent-color: var(--lw-secondary); }
.lw-steps { list-style: none; padding: 0; margin: 6px 0 0; font-size: .9em; color: #6b7280; }
.lw-steps .is-done { color: #15803d; }
.lw-steps .is-done::before { content: "✓ "; }
.lw-steps .is-current { color: var(--lw-primary); font-weight: 600; }
.lw-stage { position: relative; overflow: auto; border-radius: 8px; background: #f3f4f6; max-height: 420px; }
.lw-stage img { display: block; width: 100%; height: auto; transform-origin: 0 0; }
.lw-bar { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0; }
.lw-price { font-size: 1.3em; font-weight: 700; color: var(--lw-primary); margin: 4px 0 12px; }
.lw-ok { background: #ecfdf5; border: 1px solid #6ee7b7; border-radius: 6px; padding: 10px; }
.lw-3d { border: 0; border-radius: 10px; padding: 10px; width: min(640px, 100%); position: relative; }
.lw-3d-load { position: absolute; inset: 50% 10px auto; transform: translateY(-50%); text-align: center; }
.lw-3d-load progress { display: block; width: 60%; margin: 0 auto 6px; accent-color: var(--lw-secondary); }
.lw-3d::backdrop { background: rgba(17, 24, 39, .7); }
.lw-3d model-viewer { width: 100%; height: min(70vh, 480px); }
.lw-note { margin: 6px 0 0; font-size: .8em; color: #6b7280; }
.lw-foot { margin: 12px 0 0; font-size: .8em; color: #6b7280; text-align: right; }
.lw-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
