(function () {
  "use strict";
  // Following a badge's link (#id) highlights the fact and its counterpart on the other side: every
  // segment of either fact, and both badges; a batch row holding them opens first.
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function light(id) {
    var badge = document.getElementById(id);
    if (!badge) { return null; }
    var row = badge.closest("details");
    if (row) { row.open = true; }
    badge.classList.add("hit");
    each(document.querySelectorAll('[data-f~="' + CSS.escape(id) + '"]'), function (m) { m.classList.add("hit"); });
    return badge;
  }
  function follow() {
    each(document.querySelectorAll(".hit"), function (e) { e.classList.remove("hit"); });
    if (location.hash.length < 2) { return; }
    var target = light(decodeURIComponent(location.hash.slice(1)));
    if (!target) { return; }
    var pair = target.getAttribute("data-pair");
    var other = pair ? light(pair) : null;
    if (other) { other.scrollIntoView({block: "center"}); }
    target.scrollIntoView({block: "center"});
  }
  window.addEventListener("hashchange", follow);
  follow();
})();
