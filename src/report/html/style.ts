// The page's stylesheet: light, plain, readable on a laptop (two charts a row from 1000 px,
// one below), printable. uPlot's own stylesheet is inlined before it.
export const PAGE_CSS = `
:root { --fg: #1d1f23; --muted: #6b7080; --line: #e3e5ea; --bg: #fff; --panel: #f7f8fa; --bad: #d62728; --ok: #2a8a3e; --warn: #b7791f; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1320px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 36px 0 6px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 14px; margin: 0 0 4px; }
p.lead { color: var(--muted); margin: 0 0 16px; }
p.note, .sub, figcaption small { color: var(--muted); }
p.note { margin: 4px 0 12px; max-width: 80ch; }
.sub { font-size: 12px; font-weight: normal; }
code, pre { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 12px 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
details.scenario { margin: 8px 0 0; }
details.scenario summary { cursor: pointer; color: var(--muted); }
details.scenario pre { background: var(--panel); border: 1px solid var(--line); padding: 12px; overflow: auto; max-height: 480px; white-space: pre-wrap; }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: right; vertical-align: top; }
thead th { font-weight: 600; color: var(--muted); font-size: 12px; text-align: center; border-bottom: 1px solid #cfd2d9; }
tbody th { text-align: left; font-weight: 600; }
td.na { color: var(--muted); text-align: center; }
.table-scroll { overflow-x: auto; }
table.errors td.example { text-align: left; max-width: 70ch; overflow-wrap: anywhere; }
table.errors td, table.errors th { text-align: left; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
.badge { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 8px; border: 1px solid currentColor; font-weight: 600; }
.badge.warn { color: var(--warn); } .badge.ok { color: var(--ok); } .badge.bad { color: var(--bad); }
.findings { padding-left: 20px; } .findings li { margin: 0 0 10px; line-height: 1.45; }
.findings details summary { cursor: pointer; color: var(--muted); font-size: 12px; } .findings table.numbers td, .findings table.numbers th { padding: 2px 10px 2px 0; font-size: 12px; }
table.comparison td.left { text-align: left; } ul.reasons, ul.notes { margin: 6px 0; padding-left: 20px; } ul.notes { color: var(--muted); }
.verdict { font-weight: 600; } .verdict.ok { color: var(--ok); } .verdict.bad { color: var(--bad); } .verdict.warn { color: var(--warn); }
.notice { background: #fff8e6; border: 1px solid #f0d9a0; border-radius: 6px; padding: 8px 14px; margin: 12px 0; }
.notice ul { margin: 4px 0 0; padding-left: 20px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 520px), 1fr)); gap: 18px 24px; }
figure { margin: 0; min-width: 0; }
figcaption { font-weight: 600; margin-bottom: 4px; }
.chart { min-width: 0; overflow: hidden; }
.chart.empty, .draw-error { color: var(--muted); background: var(--panel); border: 1px dashed var(--line); border-radius: 6px; padding: 28px 16px; text-align: center; }
.draw-error { color: var(--bad); }
.key-row { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 12px; color: var(--muted); margin: 6px 0 0; }
.key { display: inline-block; width: 14px; height: 8px; margin-right: 5px; vertical-align: middle; }
.split-row { display: grid; grid-template-columns: minmax(160px, 260px) 1fr; gap: 2px 16px; padding: 8px 0; border-bottom: 1px solid var(--line); }
.split-bar { display: flex; height: 18px; background: var(--panel); border-radius: 3px; overflow: hidden; }
.split-numbers { grid-column: 2; display: flex; flex-wrap: wrap; gap: 2px 18px; font-size: 12.5px; }
.split-none { color: var(--muted); }
.seg { display: block; height: 100%; }
.delay { background: #efb118; } .exec { background: #4269d0; } .overhead { background: #9498a0; }
.key.wait { background: #bbb; } .key.pre { background: #4269d0; opacity: .35; } .key.body { background: #4269d0; } .key.first { background: #222; width: 2px; } .key.err { background: #d62728; } .key.cold { background: #111; width: 4px; height: 12px; }
.ok-note { color: var(--ok); }
section.purpose { background: #fbfcfe; border: 1px solid var(--line); border-radius: 8px; padding: 4px 18px 16px; margin-top: 24px; }
section.purpose h2 { margin-top: 14px; }
th.warm, td.warm { background: #f3f7ff; }
.picker { border-top: 1px solid var(--line); border-bottom: 1px solid var(--line); padding: 8px 0; margin: 20px 0 0; display: flex; flex-wrap: wrap; gap: 6px; align-items: center; font-size: 12px; }
.picker-label { color: var(--muted); margin-right: 4px; }
.chip { font: inherit; border: 1px solid var(--line); background: #fff; border-radius: 12px; padding: 2px 10px 2px 8px; cursor: pointer; color: var(--muted); }
.chip::before { content: ""; display: inline-block; width: 9px; height: 9px; border-radius: 2px; margin-right: 6px; background: var(--c, #999); opacity: .35; }
.chip.on { color: var(--fg); border-color: #c9ccd3; } .chip.on::before { opacity: 1; }
.chip.all { color: var(--muted); font-style: italic; } .chip.all::before { display: none; }
table.tuning td, table.tuning th { white-space: nowrap; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
.u-legend { font-size: 12px; }
.u-legend .u-series > * { padding: 2px 4px; }
@media print { .grid { grid-template-columns: 1fr 1fr; } main { max-width: none; } }
`;
