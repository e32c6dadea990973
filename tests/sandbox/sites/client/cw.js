// Behaviour of the ConnectWise look-alike: lists fill a moment after load (as Manage's GWT
// screens do), headers sort on click, and the agreement tabs switch without a reload.
/* global SandboxRender */
(function () {
  'use strict';

  function setupList(container) {
    var stateEl = container.querySelector('script.cw-list-state');
    var grid = container.querySelector('.mm_grid');
    if (!stateEl || !grid) return;
    var data = JSON.parse(stateEl.textContent);
    var model = data.model;
    var sort = data.sort;
    var filled = data.filled;

    var slot = container.querySelector('.cw-detail-slot');
    var shown = slot ? slot.querySelector('[data-row]') : null;
    var selected = shown ? Number(shown.getAttribute('data-row')) : null;

    function showDetail(rowIndex) {
      if (!slot || rowIndex == null) return;
      selected = rowIndex;
      slot.innerHTML = SandboxRender.cwDetail(model, rowIndex);
    }

    function drawRows() {
      var tbody = grid.querySelector('table.cw-ml-table > tbody');
      var order = SandboxRender.cwOrder(model, sort);
      if (tbody) tbody.innerHTML = SandboxRender.cwRows(model, order);
      if (selected === null && order.length) showDetail(order[0]);
      var empty = grid.querySelector('.cw-ml-empty');
      if (empty && model.rows.length === 0) empty.removeAttribute('hidden');
    }

    function drawHeader() {
      var header = grid.querySelector('.cw-ml-header');
      if (!header) return;
      var holder = document.createElement('div');
      holder.innerHTML = SandboxRender.cwHeader(model, sort);
      header.replaceWith(holder.firstElementChild);
    }

    grid.addEventListener('click', function (ev) {
      var open = ev.target.closest ? ev.target.closest('a[data-open-row]') : null;
      if (open) {
        ev.preventDefault();
        showDetail(Number(open.getAttribute('data-open-row')));
        return;
      }
      var cell = ev.target.closest ? ev.target.closest('.cw-ml-header td[data-sort-key]') : null;
      if (!cell) return;
      var key = cell.getAttribute('data-sort-key');
      sort = sort && sort.key === key ? { key: key, dir: -sort.dir } : { key: key, dir: 1 };
      drawHeader();
      if (filled) drawRows();
    });

    // Manage fetches list rows after the page has loaded; mimic that gap.
    function fillLater() {
      setTimeout(function () {
        filled = true;
        drawRows();
      }, data.delay);
    }
    if (!filled) {
      if (document.readyState === 'complete') fillLater();
      else window.addEventListener('load', fillLater);
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll('[data-cw-list]'), setupList);

  var tabs = document.querySelectorAll('.cw-tab[data-tab]');
  Array.prototype.forEach.call(tabs, function (tab) {
    tab.addEventListener('click', function (ev) {
      ev.preventDefault();
      var name = tab.getAttribute('data-tab');
      Array.prototype.forEach.call(tabs, function (t) {
        var on = t === tab;
        t.classList.toggle('cw-tab-selected', on);
        t.setAttribute('aria-selected', String(on));
      });
      Array.prototype.forEach.call(document.querySelectorAll('.cw-tab-panel[data-panel]'), function (p) {
        if (p.getAttribute('data-panel') === name) p.removeAttribute('hidden');
        else p.setAttribute('hidden', '');
      });
      var url = new URL(window.location.href);
      url.searchParams.set('tab', name);
      window.history.replaceState(null, '', url.toString());
    });
  });
})();
