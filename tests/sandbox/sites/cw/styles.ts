/** A muted, dense look in the spirit of ConnectWise Manage's GWT screens. */
export const CW_CSS = `
*{box-sizing:border-box}
body.cw{margin:0;font:12px/1.35 Arial,Helvetica,sans-serif;color:#222;background:#e9edf1}
.cw-topbar{height:40px;display:flex;align-items:center;gap:16px;padding:0 14px;background:#026cb6;color:#fff}
.cw-topbar .cw-brand{font-weight:bold;font-size:14px}
.cw-topbar .cw-search{margin-left:auto;padding:4px 8px;border:0;border-radius:3px;width:220px}
.cw-layout{display:flex;min-height:calc(100vh - 40px)}
.cw-navbar{width:170px;flex:none;background:#2f3b48;padding-top:8px}
.cw-navbar a{display:block;color:#cfd8e3;text-decoration:none;padding:8px 14px}
.cw-navbar a:hover,.cw-navbar a.cw-nav-active{background:#3e4d5d;color:#fff}
.cw-content{flex:1;min-width:0;padding:10px 14px}
.navigationEntry{color:#555;margin-bottom:6px}
.navigationEntry a{color:#026cb6}
.cw-main-banner{background:#fff;border:1px solid #c9d1d9;padding:8px 12px;display:flex;align-items:baseline;gap:18px}
.cw-main-banner .detailLabel{font-size:16px;font-weight:bold;color:#1c3d5a}
.cw_PsaSummaryHeader{display:flex;align-items:center;gap:6px}
.cw_PsaSummaryHeader input{border:1px solid #c9d1d9;padding:2px 4px;background:#f6f8fa;width:220px}
.cw-toolbar{display:flex;gap:4px;padding:6px 0}
.cw_ToolbarButton{padding:3px 10px;border:1px solid #b8c2cc;background:linear-gradient(#fff,#e6ebf0);cursor:pointer;user-select:none}
.cw-tabs{display:flex;gap:2px;border-bottom:2px solid #026cb6;margin-top:6px}
.cw-tab{padding:5px 12px;background:#d5dde5;color:#333;cursor:pointer;text-decoration:none;border:1px solid #b8c2cc;border-bottom:0}
.cw-tab.cw-tab-selected{background:#026cb6;color:#fff}
.cw-tab.cw-tab-disabled{opacity:.55;cursor:default}
.cw-tab-panel{background:#fff;border:1px solid #c9d1d9;border-top:0;padding:8px}
.pod{border:1px solid #dfe5ea;margin-bottom:8px}
.pod h3{margin:0;padding:4px 8px;background:#eef2f5;font-size:12px}
.pod table{border-collapse:collapse}
.pod-element-row td{padding:3px 8px}
.pod-element-row td.mm_label{color:#555;text-align:right;width:150px}
.mm_grid{border:1px solid #c9d1d9;overflow:auto;max-height:70vh;background:#fff}
.cw-ml-header{background:linear-gradient(#f7f9fa,#e3e8ed);border-bottom:1px solid #b8c2cc;position:sticky;top:0;z-index:1}
.cw-ml-header-table,.cw-ml-table{border-collapse:collapse;table-layout:fixed;width:100%}
.cw-ml-header td{padding:5px 6px;font-weight:bold;cursor:pointer;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.cw-ml-header td:hover{background:#dde4ea}
.cw-ml-row td{padding:4px 6px;border-bottom:1px solid #edf0f2;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.cw-ml-row-alt td{background:#f7f9fb}
.cw-ml-row:hover td{background:#fffbe0}
td.cw-ml-check{width:28px;text-align:center}
td.cw-ml-filler{width:12px}
.cw-sort-icon{font-style:normal;color:#026cb6}
.multilineClickable{color:#026cb6;text-decoration:none}
.multilineClickable:hover{text-decoration:underline}
.cw-ml-footer{padding:5px 2px;color:#555}
.cw-addition-detail{margin-top:8px;max-width:560px}
.cw-addition-detail input{width:340px;border:1px solid #c9d1d9;padding:2px 4px;background:#f6f8fa}
.cw-ml-empty{color:#777;padding:8px}
`;
