"""review.css: the look of the review pages, one file beside them.

Sized so that 三 (25 rows × 7 columns) and its source stay readable side by side on a 1366 × 768
screen: the tables take 58 % of the width, fixed column widths, 12 px type (never below 11 px),
labels that wrap and never widen a table. A cell's states are classes (`s-…`) shared with the
legend, so the legend shows exactly what a cell shows.
"""
from __future__ import annotations

REVIEW_CSS = """\
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { font: 13px/1.4 system-ui, "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif; color: #1d1d1d; }
body[data-page="doc"] { display: flex; flex-direction: column; height: 100vh; overflow: hidden; }
header { flex: none; padding: 4px 10px; background: #f6f6f3; border-bottom: 1px solid #c8c8c0; }
header h1 { font-size: 15px; margin: 0; display: inline; }
header p { margin: 1px 0; font-size: 12px; }
nav { float: right; font-size: 12px; }
nav a, nav span { margin-left: 8px; }
nav .off { color: #999; }
.facts { color: #555; font-size: 12px; margin-left: 8px; }
.reason { color: #555; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.help { color: #234; }
.actions { font-size: 12px; margin: 2px 0; }
.actions button { font-size: 12px; margin-right: 6px; }
button.audit { font-weight: bold; border: 2px solid #36c; }
#tally { color: #345; }
.legend { line-height: 1.6; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.legend .key { display: inline-block; padding: 0 4px; margin-right: 4px; border: 1px solid #bbb; cursor: help; }
body.quiet .help, body.quiet .legend, body.quiet .storage { display: none; }
main { flex: 1; display: flex; min-height: 0; }
#left { flex: 0 0 58%; overflow: auto; padding: 4px 10px 20px; border-right: 2px solid #b9b9b0; outline: none; }
#right { flex: 1 1 42%; display: flex; flex-direction: column; min-width: 0; }
#detail { flex: none; max-height: 36%; overflow: auto; padding: 5px 10px; font-size: 12px;
          background: #fbfbf1; border-bottom: 1px solid #c8c8c0; }
#detail > div { margin: 2px 0; }
#detail .d-head b { font-size: 13px; }
#detail .warn { color: #a40; }
#detail .mine { color: #063; font-weight: bold; }
#detail .proposal { font-style: italic; }
#detail .readings button { margin: 0 4px; font-size: 12px; }
#detail .d-issue { border-left: 3px solid #d99; padding-left: 6px; }
#detail .d-issue.sev-info { border-color: #aac; }
#detail .side a { color: #024; }
#detail .side a.here { font-weight: bold; background: #ffe98a; }
#detail .ask input { font-size: 13px; width: 14em; margin-left: 6px; }
#src { flex: 1; margin: 0; padding: 6px 10px; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere;
       font: 12px/1.5 ui-monospace, "Noto Sans Mono CJK SC", "WenQuanYi Micro Hei Mono", "DejaVu Sans Mono", monospace; tab-size: 4; }
#src .p { background: #e8ecfa; border-radius: 2px; cursor: pointer; }
#src .p.on { background: #ffc933; outline: 2px solid #d98300; }
.storage { flex: none; margin: 0; padding: 2px 10px; font-size: 11px; color: #555; border-top: 1px solid #ddd; }
h2 { font-size: 13px; margin: 8px 0 2px; }
.issues { font-size: 12px; margin: 2px 0 6px; }
.issues summary { cursor: pointer; font-weight: bold; }
.issues ol { margin: 2px 0; padding-left: 22px; max-height: 9em; overflow: auto; }
.issues li { cursor: pointer; }
.issues li:focus, .issues li:hover { background: #eef; }
.issues .sev-error b { color: #b00; }
.issues .sev-warning b { color: #a60; }
.issues .sev-info b { color: #557; }
table.grid { border-collapse: collapse; table-layout: fixed; width: 100%; font-size: 12px; margin: 2px 0 8px; }
table.t2 { display: inline-table; width: auto; table-layout: auto; margin-right: 14px; vertical-align: top; }
.grid caption { text-align: left; font-size: 12px; color: #444; }
.grid th, .grid td { border: 1px solid #b4b4ac; padding: 1px 3px; }
.grid th { background: #f1f1ec; font-weight: normal; text-align: left; overflow-wrap: anywhere; }
.grid thead th { text-align: center; line-height: 1.2; }
.grid th.upright { text-align: center; line-height: 1.15; padding: 1px; }
.grid td { text-align: right; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; cursor: pointer;
           font-variant-numeric: tabular-nums; min-width: 3em; }
.t3 col.up { width: 1.7em; }
.t3 col.up2 { width: 2.7em; }
.t3 col.v { width: 4em; }
.t2 th[scope="row"] { min-width: 8em; }
.t2 td { min-width: 5em; }
.flag { position: relative; }
.flag::before { content: ""; position: absolute; left: 0; top: 0; border: 4px solid transparent;
                  border-top-color: #e06000; border-left-color: #e06000; }
.s-split { background: #e3eeff; }
.s-llm { background: #eee3ff; }
.s-copy { background: #e3f6ee; }
.s-inferred { background: #ececec; font-style: italic; }
.s-missing { color: #a00; background: repeating-linear-gradient(135deg, #fff 0 3px, #fbe1e1 3px 6px); }
.s-doubt { background: #fff1b8; }
.s-disputed { background: #ffd49a; }
.s-relation { box-shadow: inset 0 -3px 0 #d22; }
.s-options { background: #ffd9ee; color: #906; font-weight: bold; }
.s-proposal { font-style: italic; color: #555; outline: 1px dashed #666; outline-offset: -3px; }
.s-human { background: #d9f3d9; color: #060; }
.s-stale { background: #f4e2c4; text-decoration: line-through; }
.s-audit { box-shadow: inset 3px 0 0 #3366cc; }
.mine { background: #b9ecb9 !important; color: #031; font-weight: bold; text-decoration: none; font-style: normal; }
.hl { box-shadow: inset 0 0 0 2px #f0a000; }
td.sel { outline: 3px solid #0b5fff; outline-offset: -3px; }
td:focus { outline: 3px solid #0b5fff; outline-offset: -3px; }
.status { padding: 0 5px; border-radius: 3px; background: #ddd; font-size: 12px; font-weight: normal; }
.st-needs_review { background: #ffe08a; }
.st-source_inconsistent { background: #ffc9a8; }
.st-failed { background: #f4a9a9; }
.st-audit { background: #c3d6ff; }
.st-verified, .st-human_verified { background: #c6efc6; }
main.index { display: block; padding: 6px 10px; }
.filters { font-size: 12px; margin: 4px 0; }
#docs { border-collapse: collapse; width: 100%; font-size: 12px; }
#docs th, #docs td { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }
#docs td.num { text-align: right; }
#docs .codes { max-width: 22em; }
#docs .agency { min-width: 10em; }
#docs .reason { color: #666; font-size: 11px; white-space: normal; }
"""
