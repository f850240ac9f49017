// The before/after comparison of the renovation page: the after photo lies over the before
// photo and the slider uncovers it from the left. No library: a clip of one image.
(function () {
  "use strict";
  function attach(block) {
    var range = block.querySelector("[data-compare-range]");
    var after = block.querySelector(".compare-after");
    if (!range || !after) {
      return;
    }
    function show() {
      after.style.clipPath = "inset(0 " + (100 - Number(range.value)) + "% 0 0)";
    }
    range.addEventListener("input", show);
    show();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-compare]").forEach(attach);
  });
})();
