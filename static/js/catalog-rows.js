// Row editors of the catalog (a variant's attributes, a product's options; the template is
// apps/products/templates/products/partials/rows.html). The form works without this script; with it,
// "Add" appends a row made from the formset's empty form, and an attribute row shows the input of
// its kind: the text value, or the colour picker of a swatch.
(function () {
  "use strict";

  function showKind(row) {
    var kind = row.querySelector('select[name$="-kind"]');
    if (!kind) return;
    var swatch = kind.value === "swatch";
    row.querySelector('[data-cell="value"] input').hidden = swatch;
    row.querySelector('[data-cell="colour"] input').hidden = !swatch;
  }

  function prepare(row) {
    row.addEventListener("change", function (event) {
      if (event.target.matches('select[name$="-kind"]')) showKind(row);
    });
    showKind(row);
  }

  function start(box) {
    var total = box.querySelector('input[name$="-TOTAL_FORMS"]');
    var most = Number(box.querySelector('input[name$="-MAX_NUM_FORMS"]').value);
    var body = box.querySelector("[data-rows-body]");
    var empty = box.querySelector("template[data-rows-empty]");
    var add = box.querySelector("[data-rows-add]");
    body.querySelectorAll("[data-row]").forEach(prepare);
    add.hidden = false;
    add.addEventListener("click", function () {
      var index = Number(total.value);
      if (index >= most) return;
      body.insertAdjacentHTML("beforeend", empty.innerHTML.replace(/__prefix__/g, String(index)));
      total.value = String(index + 1);
      add.disabled = index + 1 >= most;
      var row = body.lastElementChild;
      prepare(row);
      row.querySelector("input:not([type=hidden])").focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-rows]").forEach(start);
  });
})();
