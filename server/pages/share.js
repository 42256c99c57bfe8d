// Mekaar's share, poster and flyer pages: the copy-link and print buttons. A file of
// the server's own (the pages' policy allows no inline script); without it the link
// stays selectable and the browser's own print works.
(function () {
  "use strict";
  function say(button, key) {
    var status = document.getElementById(button.getAttribute("aria-describedby"));
    if (status) {
      status.textContent = "";
      // A new text, also when it is the same as before, so screen readers say it again.
      setTimeout(function () { status.textContent = button.getAttribute(key) || ""; }, 50);
    }
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    button.parentNode.hidden = false;
    button.addEventListener("click", function () {
      var done = function () { say(button, "data-done"); };
      var failed = function () {
        field.focus();
        field.select();
        say(button, "data-failed");
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, failed);
      } else {
        field.select();
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        if (ok) { done(); } else { failed(); }
      }
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
