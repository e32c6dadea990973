// Markup builders shared by the server (evaluated once in a node:vm context) and the pages'
// own scripts, so a server-rendered grid and a grid re-rendered in the browser are the same bytes.
// Plain script, no modules: it is inlined into pages and must also run inside happy-dom.
/* exported SandboxRender */
var SandboxRender = (function () {
  'use strict';

  var SPECIAL = /[&<>"']/;

  function esc(value) {
    var text = String(value == null ? '' : value);
    if (!SPECIAL.test(text)) return text;
    return text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;');
  }

  function badgeClass(badge) {
    return badge === 'User Updated' ? 'px-badge px-badge-user' : 'px-badge px-badge-system';
  }

  // A cell is { t: text, b?: badge, p?: placeholder }. The space between text and badge keeps the two apart in
  // textContent, the way a browser's innerText would.
  function cellInner(cell) {
    if (!cell) return '';
    if (cell.p) return '<span class="px-placeholder">' + esc(cell.t) + '</span>';
    var html = '<span class="px-cell-text">' + esc(cell.t) + '</span>';
    if (cell.b) html += ' <span class="' + badgeClass(cell.b) + '">' + esc(cell.b) + '</span>';
    return html;
  }

  function visibleColumns(model, hidden) {
    return model.columns.filter(function (c) {
      return hidden.indexOf(c.key) < 0;
    });
  }

  function pageCount(model, pageSize) {
    return Math.max(1, Math.ceil(model.rows.length / pageSize));
  }

  function clampPage(model, page, pageSize) {
    var n = pageCount(model, pageSize);
    return Math.min(Math.max(1, page | 0), n);
  }

  function pageRows(model, page, pageSize) {
    var start = (page - 1) * pageSize;
    return { start: start, rows: model.rows.slice(start, start + pageSize) };
  }

  function tableGrid(model, cols, slice) {
    var h = '<table class="px-grid px-table" data-grid="' + esc(model.grid) + '"><thead><tr>';
    cols.forEach(function (c) {
      h += '<th scope="col" data-col="' + esc(c.key) + '">' + esc(c.label) + '</th>';
    });
    h += '</tr></thead><tbody>';
    slice.rows.forEach(function (r, k) {
      h += '<tr data-row-key="' + esc(r.key) + '" data-row-index="' + (slice.start + k) + '">';
      cols.forEach(function (c) {
        h += '<td data-col="' + esc(c.key) + '">' + cellInner(r.cells[c.key]) + '</td>';
      });
      h += '</tr>';
    });
    if (!slice.rows.length) h += '<tr><td class="px-empty" colspan="' + cols.length + '">' + esc(model.empty) + '</td></tr>';
    return h + '</tbody></table>';
  }

  function ariaGrid(model, cols, slice) {
    var h =
      '<div class="px-grid px-aria" role="grid" data-grid="' + esc(model.grid) + '" aria-label="' + esc(model.title) +
      '" aria-rowcount="' + (model.rows.length + 1) + '" aria-colcount="' + cols.length + '">';
    h += '<div role="rowgroup" class="px-aria-head"><div role="row" aria-rowindex="1" class="px-aria-row">';
    cols.forEach(function (c, i) {
      h += '<div role="columnheader" aria-colindex="' + (i + 1) + '" data-col="' + esc(c.key) + '">' + esc(c.label) + '</div>';
    });
    h += '</div></div><div role="rowgroup" class="px-aria-body">';
    slice.rows.forEach(function (r, k) {
      h += '<div role="row" class="px-aria-row" aria-rowindex="' + (slice.start + k + 2) + '" data-row-key="' + esc(r.key) + '">';
      cols.forEach(function (c, i) {
        h += '<div role="gridcell" aria-colindex="' + (i + 1) + '" data-col="' + esc(c.key) + '">' + cellInner(r.cells[c.key]) + '</div>';
      });
      h += '</div>';
    });
    if (!slice.rows.length) h += '<div role="row" class="px-aria-row"><div class="px-empty">' + esc(model.empty) + '</div></div>';
    return h + '</div></div>';
  }

  function agHeader(cols) {
    var h = '<div class="ag-header"><div class="ag-header-row">';
    cols.forEach(function (c) {
      h += '<div class="ag-header-cell" col-id="' + esc(c.key) + '"><span class="ag-header-cell-text">' + esc(c.label) + '</span></div>';
    });
    return h + '</div></div>';
  }

  function agRow(r, index, cols, style) {
    var h = '<div class="ag-row" row-index="' + index + '" row-id="' + esc(r.key) + '"' + (style ? ' style="' + style + '"' : '') + '>';
    cols.forEach(function (c) {
      h += '<div class="ag-cell" col-id="' + esc(c.key) + '">' + cellInner(r.cells[c.key]) + '</div>';
    });
    return h + '</div>';
  }

  function agGrid(model, cols, slice) {
    var h = '<div class="px-grid ag-root" data-grid="' + esc(model.grid) + '">' + agHeader(cols);
    h += '<div class="ag-body-viewport"><div class="ag-center-cols-container">';
    slice.rows.forEach(function (r, k) {
      h += agRow(r, slice.start + k, cols, '');
    });
    h += '</div></div>';
    if (!slice.rows.length) h += '<div class="ag-overlay-no-rows-center px-empty">' + esc(model.empty) + '</div>';
    return h + '</div>';
  }

  // Virtual rows: the viewport is a fixed height and rows sit at absolute offsets, so which rows
  // exist follows from scrollTop alone (no layout needed, which keeps happy-dom able to run it).
  function virtualRows(model, cols, first, count, rowHeight) {
    var end = Math.min(model.rows.length, first + count);
    var h = '';
    for (var i = first; i < end; i++) {
      h += agRow(model.rows[i], i, cols, 'transform: translateY(' + i * rowHeight + 'px)');
    }
    return h;
  }

  function virtualGrid(model, cols, first, count, rowHeight, viewportHeight) {
    var h = '<div class="px-grid ag-root px-virtual" data-grid="' + esc(model.grid) + '">' + agHeader(cols);
    h += '<div class="ag-body-viewport" style="height:' + viewportHeight + 'px">';
    h += '<div class="ag-center-cols-container" style="height:' + model.rows.length * rowHeight + 'px">';
    h += virtualRows(model, cols, first, count, rowHeight);
    h += '</div></div>';
    if (!model.rows.length) h += '<div class="ag-overlay-no-rows-center px-empty">' + esc(model.empty) + '</div>';
    return h + '</div>';
  }

  function pager(model, page, pageSize) {
    var n = pageCount(model, pageSize);
    var total = model.rows.length;
    return (
      '<div class="px-pager" role="navigation" aria-label="Pagination">' +
      '<span class="px-total">' + total + ' ' + (total === 1 ? model.unit : model.units) + '</span>' +
      '<button type="button" class="px-btn" data-act="prev"' + (page <= 1 ? ' disabled' : '') + '>‹ Prev</button>' +
      '<span class="px-page-indicator" aria-live="polite">Page ' + page + ' of ' + n + '</span>' +
      '<button type="button" class="px-btn" data-act="next"' + (page >= n ? ' disabled' : '') + '>Next ›</button>' +
      '</div>'
    );
  }

  /**
   * The grid area of a Platform page for one state: { layout, page, pageSize, hidden, first }.
   * Paged layouts get a pager; the virtual one shows only the total, as AG-Grid's infinite rows do.
   */
  function platformGrid(model, state) {
    var cols = visibleColumns(model, state.hidden || []);
    if (state.layout === 'virtual') {
      var total = model.rows.length;
      return (
        virtualGrid(model, cols, state.first || 0, model.virtual.count, model.virtual.rowHeight, model.virtual.viewportHeight) +
        '<div class="px-pager"><span class="px-total">' + total + ' ' + (total === 1 ? model.unit : model.units) + '</span></div>'
      );
    }
    var page = clampPage(model, state.page || 1, state.pageSize);
    var slice = pageRows(model, page, state.pageSize);
    var body = state.layout === 'aria' ? ariaGrid(model, cols, slice) : state.layout === 'aggrid' ? agGrid(model, cols, slice) : tableGrid(model, cols, slice);
    return body + pager(model, page, state.pageSize);
  }

  // ConnectWise list view. The header strip is a sibling of the rows table (not a thead); both
  // carry the checkbox column first and a filler last, and rows number their cells by cellindex.
  // Header strip and rows are separate tables; one colgroup in each keeps their columns aligned.
  function cwColgroup(model) {
    var h = '<colgroup><col style="width:30px">';
    model.columns.forEach(function (c) {
      h += '<col style="width:' + (c.width || 110) + 'px">';
    });
    return h + '<col></colgroup>';
  }

  function cwHeader(model, sort) {
    var h = '<div class="cw-ml-header"><table class="cw-ml-header-table" cellspacing="0">' + cwColgroup(model) + '<tbody><tr>';
    h += '<td cellindex="0" class="cw-ml-check"><input type="checkbox" aria-label="Select all" tabindex="-1"></td>';
    model.columns.forEach(function (c, i) {
      var arrow = sort && sort.key === c.key ? (sort.dir > 0 ? ' ▲' : ' ▼') : '';
      h += '<td cellindex="' + (i + 1) + '" class="cw-ml-header-cell" data-sort-key="' + esc(c.key) + '"><div><span>' + esc(c.label) + '</span>' + (arrow ? '<i class="cw-sort-icon" aria-hidden="true">' + arrow + '</i>' : '') + '</div></td>';
    });
    h += '<td cellindex="' + (model.columns.length + 1) + '" class="cw-ml-filler"></td>';
    return h + '</tr></tbody></table></div>';
  }

  function cwRows(model, order) {
    var n = model.columns.length;
    var h = '';
    order.forEach(function (rowIndex, k) {
      var r = model.rows[rowIndex];
      h += '<tr class="cw-ml-row' + (k % 2 ? ' cw-ml-row-alt' : '') + '" __gwt_row="' + k + '"' + (r.recid != null ? ' data-recid="' + esc(r.recid) + '"' : '') + '>';
      h += '<td cellindex="0" class="cw-ml-check"><input type="checkbox" tabindex="-1"></td>';
      model.columns.forEach(function (c, i) {
        var text = r.cells[c.key] || '';
        var inner = esc(text);
        if (c.checkbox) inner = '<input type="checkbox" class="gwt-CheckBox" disabled tabindex="-1"' + (text === 'true' ? ' checked' : '') + '>';
        else if (c.rowLink && r.href) inner = '<a class="multilineClickable" href="' + esc(r.href) + '">' + esc(text) + '</a>';
        else if (c.rowLink && r.detail) inner = '<a class="multilineClickable" href="#" data-open-row="' + rowIndex + '">' + esc(text) + '</a>';
        h += '<td cellindex="' + (i + 1) + '"' + (c.align === 'right' ? ' align="right"' : '') + '><div class="cw-ml-cell">' + inner + '</div></td>';
      });
      h += '<td cellindex="' + (n + 1) + '" class="cw-ml-filler"></td>';
      h += '</tr>';
    });
    return h;
  }

  // The selected addition's fields as a form pod, the way Manage opens a row below its list.
  function cwDetail(model, rowIndex) {
    var r = model.rows[rowIndex];
    if (!r || !r.detail) return '';
    var h = '<div class="pod cw-addition-detail" data-row="' + rowIndex + '"><h3>Addition</h3><table>';
    r.detail.forEach(function (pair) {
      h += '<tr class="pod-element-row"><td class="mm_label">' + esc(pair[0]) + '</td><td><input value="' + esc(pair[1]) + '" readonly aria-label="' + esc(pair[0]) + '"></td></tr>';
    });
    return h + '</table></div>';
  }

  /** Row order for a sort { key, dir }: stable, by each row's sort value (number or string). */
  function cwOrder(model, sort) {
    var order = model.rows.map(function (_r, i) {
      return i;
    });
    if (!sort || !sort.key) return order;
    return order.sort(function (a, b) {
      var va = model.rows[a].sort[sort.key];
      var vb = model.rows[b].sort[sort.key];
      var c = 0;
      if (va == null && vb != null) c = -1;
      else if (vb == null && va != null) c = 1;
      else if (typeof va === 'number' && typeof vb === 'number') c = va - vb;
      else if (va != null) c = String(va).localeCompare(String(vb));
      return c * sort.dir || a - b;
    });
  }

  return {
    esc: esc,
    platformGrid: platformGrid,
    virtualRows: virtualRows,
    visibleColumns: visibleColumns,
    pageCount: pageCount,
    clampPage: clampPage,
    cwColgroup: cwColgroup,
    cwHeader: cwHeader,
    cwRows: cwRows,
    cwDetail: cwDetail,
    cwOrder: cwOrder,
  };
})();
// Each page script may run in its own scope (happy-dom does so); publish the builders explicitly.
if (typeof window !== 'undefined') window.SandboxRender = SandboxRender;
