(function () {
  var items = document.querySelectorAll('.item');
  var filters = document.querySelectorAll('a.filter');
  var withoutImages = document.getElementById('without-images');
  function apply() {
    var match = /^#state=([A-Z_]+)$/.exec(location.hash);
    var state = match ? match[1] : null;
    var shown = 0, shownWithoutImages = 0;
    items.forEach(function (item) {
      var show = state === null || item.getAttribute('data-state') === state;
      item.hidden = !show;
      if (show) {
        shown++;
        if (item.tagName === 'TR') shownWithoutImages++;
      }
    });
    withoutImages.hidden = shownWithoutImages === 0;
    filters.forEach(function (a) {
      a.classList.toggle('active', (a.getAttribute('data-filter') || null) === state);
    });
    document.getElementById('shown').textContent =
        'showing ' + shown + ' of ' + items.length + ' rows' + (state ? ' (' + state.toLowerCase() + ')' : '');
  }
  window.addEventListener('hashchange', apply);
  apply();
})();
