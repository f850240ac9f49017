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
})();
