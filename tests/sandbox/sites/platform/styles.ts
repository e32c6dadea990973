/** Enough styling for the look-alike to read like a modern SaaS admin screen in screenshots. */
export const PLATFORM_CSS = `
*{box-sizing:border-box}
body.px{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2433;background:#f4f6fa}
.px-top{height:52px;display:flex;align-items:center;justify-content:space-between;padding:0 20px;background:#142850;color:#fff}
.px-logo{font-weight:700;letter-spacing:.3px}.px-logo b{color:#5fd3ff}
.px-user{font-size:13px;opacity:.85}
.px-shell{display:flex;min-height:calc(100vh - 52px)}
.px-nav{width:208px;flex:none;background:#fff;border-right:1px solid #dde3ee;padding:16px 0}
.px-nav ul{list-style:none;margin:0;padding:0}
.px-nav a{display:block;padding:10px 22px;color:#33405a;text-decoration:none;border-left:3px solid transparent}
.px-nav a:hover{background:#eef3fb}
.px-nav a[aria-current=page]{border-left-color:#1f6feb;background:#e8f0fe;color:#0b3d91;font-weight:600}
.px-main{flex:1;min-width:0;padding:20px 28px}
.px-crumbs{font-size:12px;color:#6a7487;margin-bottom:4px}
.px-main h1{font-size:22px;margin:0 0 14px}
.px-tabs{display:flex;gap:4px;border-bottom:1px solid #dde3ee;margin-bottom:14px}
.px-tabs a{padding:9px 16px;color:#4a5568;text-decoration:none;border-bottom:2px solid transparent;margin-bottom:-1px}
.px-tabs a[aria-selected=true]{color:#1f6feb;border-bottom-color:#1f6feb;font-weight:600}
.px-panel{background:#fff;border:1px solid #dde3ee;border-radius:8px;padding:14px}
.px-toolbar{display:flex;align-items:center;gap:10px;margin-bottom:12px;flex-wrap:wrap}
.px-toolbar .px-spacer{flex:1}
.px-panel-title{font-size:15px;margin:0 8px 0 0}
.px-toolbar label{font-size:13px;color:#4a5568;display:flex;align-items:center;gap:6px}
.px-toolbar select{padding:5px 8px;border:1px solid #c5cedd;border-radius:6px;background:#fff}
.px-btn{display:inline-flex;align-items:center;gap:4px;padding:6px 12px;border:1px solid #c5cedd;border-radius:6px;background:#fff;color:#1d2433;font:inherit;font-size:13px;cursor:pointer;text-decoration:none}
.px-btn:hover:not([disabled]){background:#eef3fb}
.px-btn[disabled]{opacity:.45;cursor:default}
.px-btn-primary{background:#1f6feb;border-color:#1f6feb;color:#fff}
.px-btn-primary:hover:not([disabled]){background:#1a5fd0}
.px-columns{position:relative}
.px-columns-menu{position:absolute;right:0;top:34px;z-index:5;background:#fff;border:1px solid #c5cedd;border-radius:8px;box-shadow:0 6px 24px rgba(20,40,80,.15);padding:8px 12px;min-width:230px;max-height:420px;overflow:auto}
.px-columns-menu label{display:flex;gap:8px;padding:3px 0;font-size:13px}
.px-scroll{overflow:auto;max-width:100%}
.px-grid{font-size:13px}
table.px-table{border-collapse:collapse;min-width:100%}
.px-table th,.px-aria-head [role=columnheader],.ag-header-cell{position:sticky;top:0;background:#f7f9fc;text-align:left;font-weight:600;color:#33405a;padding:8px 10px;border-bottom:1px solid #dde3ee;white-space:nowrap}
.px-table td,.px-aria [role=gridcell],.ag-cell{padding:7px 10px;border-bottom:1px solid #eef1f6;white-space:nowrap}
.px-table tbody tr:hover td,.px-aria-body .px-aria-row:hover,.ag-row:hover{background:#f5f9ff}
.px-aria-row,.ag-header-row,.ag-row{display:flex}
.px-aria [role=columnheader],.px-aria [role=gridcell],.ag-header-cell,.ag-cell{flex:none;width:150px;overflow:hidden;text-overflow:ellipsis}
.px-aria [data-col=chargeStartDate],.px-aria [data-col=chargeEndDate],[col-id=chargeStartDate],[col-id=chargeEndDate]{width:235px}
.px-aria [data-col=chargeType],[col-id=chargeType]{width:300px}
.px-aria [data-col=offer],.px-aria [data-col=subscription],.px-aria [data-col=organization],[col-id=offer],[col-id=subscription],[col-id=organization],[col-id=psaAgreementName],.px-aria [data-col=psaAgreementName]{width:210px}
.ag-body-viewport{position:relative}
.px-virtual .ag-body-viewport{overflow-y:auto}
.px-virtual .ag-center-cols-container{position:relative}
.px-virtual .ag-row{position:absolute;left:0;top:0;height:32px;width:max-content;background:#fff}
.px-badge{display:inline-block;margin-left:6px;padding:1px 7px;border-radius:10px;font-size:11px;font-weight:600;vertical-align:1px}
.px-badge-system{background:#e3f2fd;color:#0d47a1}
.px-badge-user{background:#fff3e0;color:#8a4b00}
.px-pager{display:flex;align-items:center;gap:10px;justify-content:flex-end;padding-top:10px;font-size:13px;color:#4a5568}
.px-pager .px-total{margin-right:auto}
.px-placeholder{color:#8a94a6;font-style:italic}
.px-empty{padding:30px;text-align:center;color:#6a7487}
.px-note{font-size:13px;color:#4a5568}
`;
