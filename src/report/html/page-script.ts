// The page's own script: the client/ functions' source, inlined, then a call to each. The
// browser code is written as typed TypeScript functions and turned into text with
// Function.prototype.toString (the way browser-automation libraries ship code to a page),
// so the compiler checks it like the rest of podbench while the page stays one file with
// no build step of its own. Each chart draws on its own: one that throws shows its error
// in place (and in the console) and the others still draw.
import { drawColdStarts, drawTimeline } from './client/timeline.js';
import { drawDistributions, drawNumericAxis, drawPicker, drawStreaming, drawTuning } from './client/distributions.js';
import { makeKit } from './client/kit.js';
import { VARIANT_PALETTE } from './colours.js';
import { drawOverTime } from './client/over-time.js';

// The picker comes last: it acts on the charts the others drew.
const DRAWERS = [
  drawNumericAxis,
  drawTuning,
  drawDistributions,
  drawOverTime,
  drawTimeline,
  drawStreaming,
  drawColdStarts,
  drawPicker,
];

/** The script; it reads the data from the element with id `dataElementId` and needs the global uPlot. */
export function pageScript(dataElementId: string): string {
  return `(function () {
'use strict';
${makeKit.toString()}
${DRAWERS.map((fn) => fn.toString()).join('\n')}
const data = JSON.parse(document.getElementById(${JSON.stringify(dataElementId)}).textContent);
const kit = makeKit(uPlot, document, window, data, ${JSON.stringify(VARIANT_PALETTE)});
for (const [name, draw] of ${`[${DRAWERS.map((fn) => `[${JSON.stringify(fn.name)}, ${fn.name}]`).join(', ')}]`}) {
  try {
    draw(kit, data);
  } catch (err) {
    console.error('report page: ' + name + ' failed:', err);
    const note = document.createElement('p');
    note.className = 'draw-error';
    note.textContent = 'This part of the page could not be drawn (' + name + '): ' + err;
    document.body.appendChild(note);
  }
}
// For the page's own tests and for anyone scripting the page: every chart and its variants.
window.podbenchCharts = kit.charts;
document.body.setAttribute('data-ready', '1');
})();`;
}
