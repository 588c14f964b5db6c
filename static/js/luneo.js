// Small progressive enhancements. Every page works without them.
(function () {
  "use strict";

  // Copy the text of the element named by data-copy-target.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var source = document.querySelector(button.dataset.copyTarget);
    if (!source) return;
    var text = source.textContent.trim();
    var done = function () {
      var label = button.querySelector("span") || button;
      label.textContent = button.dataset.copiedLabel || label.textContent;
      button.classList.add("is-done");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { selectText(source); });
    } else {
      selectText(source);
      if (document.execCommand("copy")) done();
    }
  });

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // Submit a form as soon as one of its [data-autosubmit] fields changes (language switch).
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) event.target.form.requestSubmit();
  });

  // Signup: suggest the workspace address from its name until the person edits it.
  document.addEventListener("input", function (event) {
    var group = event.target.closest("[data-slug-source]");
    if (!group) return;
    var source = group.querySelector(group.dataset.slugSource);
    var target = group.querySelector(group.dataset.slugTarget);
    if (event.target === target) {
      target.dataset.edited = "true";
    } else if (event.target === source && !target.dataset.edited) {
      target.value = source.value
        .normalize("NFD").replace(/[\u0300-\u036f]/g, "")
        .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 30);
    }
  });
})();
