// Filters for the regression matrix. The page shows everything without this
// script; it only hides what a person filters out. OS applies to the whole
// page, label and verdict to the matrix rows.
(function () {
  var form = document.getElementById('filters');
  var table = document.getElementById('matrix');
  if (!form || !table) { return; }
  form.hidden = false;
  var rows = table.tBodies[0].rows;
  function apply() {
    var os = form.elements.os.value, label = form.elements.label.value, verdict = form.elements.verdict.value;
    document.querySelectorAll('[data-os]').forEach(function (el) {
      el.classList.toggle('hide', os !== '' && el.getAttribute('data-os') !== os);
    });
    var shown = 0;
    for (var r = 0; r < rows.length; r++) {
      var tr = rows[r];
      var ok = label === '' || (' ' + tr.getAttribute('data-labels') + ' ').indexOf(' ' + label + ' ') >= 0;
      if (ok && verdict !== '') {
        ok = false;
        var cells = tr.cells;
        for (var i = 1; i < cells.length && !ok; i++) {
          var c = cells[i];
          if (os !== '' && c.getAttribute('data-os') !== os) { continue; }
          ok = c.getAttribute('data-state') === verdict || c.getAttribute('data-mark') === verdict ||
            (verdict === 'flaky' && c.getAttribute('data-flaky') === '1');
        }
      }
      tr.classList.toggle('hide', !ok);
      if (ok) { shown++; }
    }
    document.getElementById('shown').textContent = shown + ' of ' + rows.length + ' checks shown';
  }
  form.addEventListener('change', apply);
  form.addEventListener('reset', function () { setTimeout(apply, 0); });
  apply();
})();
