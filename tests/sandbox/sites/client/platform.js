// Behaviour of the Platform look-alike: paging, column chooser, month switch and the virtual
// scroller. The server already rendered the first view; this script only redraws on user action.
/* global SandboxRender */
(function () {
  'use strict';
  var stateEl = document.getElementById('px-state');
  var area = document.getElementById('px-grid-area');
  if (!stateEl || !area) return;
  var data = JSON.parse(stateEl.textContent);
  var model = data.model;
  var state = data.state;
  var defaults = model.columns.map(function (c) {
    return c.key;
  });

  function syncUrl() {
    var url = new URL(window.location.href);
    if (state.layout !== 'virtual') {
      if (state.page > 1) url.searchParams.set('page', String(state.page));
      else url.searchParams.delete('page');
    }
    if (state.hidden.length) url.searchParams.set('hide', state.hidden.join(','));
    else url.searchParams.delete('hide');
    window.history.replaceState(null, '', url.toString());
  }

  function viewport() {
    return area.querySelector('.ag-body-viewport');
  }

  // Rows are re-created from the window that scrollTop points at, as AG-Grid recycles them.
  function onScroll() {
    var vp = viewport();
    if (!vp) return;
    var v = model.virtual;
    var first = Math.max(0, Math.min(Math.floor(vp.scrollTop / v.rowHeight) - 5, model.rows.length - v.count));
    if (first === state.first) return;
    state.first = first;
    var cols = SandboxRender.visibleColumns(model, state.hidden);
    vp.firstElementChild.innerHTML = SandboxRender.virtualRows(model, cols, first, v.count, v.rowHeight);
  }

  function bindScroll() {
    var vp = viewport();
    if (state.layout === 'virtual' && vp) vp.addEventListener('scroll', onScroll);
  }

  function draw() {
    var old = viewport();
    var top = old ? old.scrollTop : 0;
    area.innerHTML = SandboxRender.platformGrid(model, state);
    var vp = viewport();
    if (state.layout === 'virtual' && vp) vp.scrollTop = top;
    bindScroll();
    syncUrl();
  }

  area.addEventListener('click', function (ev) {
    var btn = ev.target.closest ? ev.target.closest('button[data-act]') : null;
    if (!btn || btn.disabled) return;
    var n = SandboxRender.pageCount(model, state.pageSize);
    var next = btn.getAttribute('data-act') === 'next' ? state.page + 1 : state.page - 1;
    if (next < 1 || next > n) return;
    state.page = next;
    draw();
  });
  bindScroll();

  var toggle = document.getElementById('px-columns-toggle');
  var menu = document.getElementById('px-columns-menu');
  if (toggle && menu) {
    toggle.addEventListener('click', function () {
      var open = menu.hasAttribute('hidden');
      if (open) menu.removeAttribute('hidden');
      else menu.setAttribute('hidden', '');
      toggle.setAttribute('aria-expanded', String(open));
    });
    menu.addEventListener('change', function (ev) {
      var box = ev.target;
      var key = box.getAttribute('data-col');
      if (!key) return;
      state.hidden = state.hidden.filter(function (k) {
        return k !== key;
      });
      if (!box.checked) state.hidden.push(key);
      // Keep the model's column order whatever order the boxes were clicked in.
      state.hidden = defaults.filter(function (k) {
        return state.hidden.indexOf(k) >= 0;
      });
      draw();
    });
    var reset = document.getElementById('px-columns-reset');
    if (reset)
      reset.addEventListener('click', function () {
        state.hidden = [];
        Array.prototype.forEach.call(menu.querySelectorAll('input[data-col]'), function (b) {
          b.checked = true;
        });
        draw();
      });
  }

  var months = document.getElementById('px-show-invoices');
  if (months)
    months.addEventListener('change', function () {
      var url = new URL(window.location.href);
      url.searchParams.set('month', months.value);
      url.searchParams.delete('page');
      window.location.assign(url.toString());
    });
})();
