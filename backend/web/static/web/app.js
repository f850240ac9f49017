// Behaviour every page shares. Pages carry no inline script or event handler (the
// Content-Security-Policy refuses them): elements opt in with data- attributes instead.
(function () {
  "use strict";

  // <select data-submit-on-change>: choosing an option submits its form (the language menu).
  function submitOnChange(event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-submit-on-change]") && select.form) {
      select.form.submit();
    }
  }

  document.addEventListener("change", submitOnChange);

  // A table box that scrolls sideways (.scroll) takes the keyboard's focus, so its hidden columns
  // can be reached with the arrow keys; one that fits the screen is no stop for the Tab key.
  function focusScrollingBoxes() {
    document.querySelectorAll(".scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) {
        box.tabIndex = 0;
      } else {
        box.removeAttribute("tabindex");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", focusScrollingBoxes);
  window.addEventListener("resize", focusScrollingBoxes);
  document.addEventListener("htmx:afterSettle", focusScrollingBoxes);
})();
