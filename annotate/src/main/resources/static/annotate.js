// Keyboard shortcuts and reveal for the annotation page. Nothing here is needed to label: every
// control is a plain form element reachable with Tab, and the page works without this script.
(function () {
  function reveal() {
    var body = document.getElementById('item-body');
    var button = document.getElementById('reveal');
    if (body && body.classList.contains('blurred')) {
      body.classList.remove('blurred');
      if (button) { button.setAttribute('aria-expanded', 'true'); button.textContent = 'Content shown'; }
    }
  }
  document.addEventListener('DOMContentLoaded', function () {
    var button = document.getElementById('reveal');
    if (button) { button.addEventListener('click', reveal); }
    var form = document.getElementById('label-form');
    if (!form) { return; }
    document.addEventListener('keydown', function (e) {
      var t = e.target;
      var typing = t && (t.tagName === 'TEXTAREA' || (t.tagName === 'INPUT' && t.type !== 'checkbox'));
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); return; }
      if (typing || e.ctrlKey || e.metaKey || e.altKey) { return; }
      if (e.key === 'u') { var u = document.getElementById('unsure'); u.checked = !u.checked; e.preventDefault(); return; }
      if (e.key === 'n') { document.getElementById('note').focus(); e.preventDefault(); return; }
      if (e.key === 'v') { reveal(); e.preventDefault(); return; }
      var box = form.querySelector('input[data-key="' + e.key + '"]');
      if (box) { box.checked = !box.checked; box.focus(); e.preventDefault(); }
    });
  });
})();
