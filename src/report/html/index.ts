// report.html (issue 4): one self-contained page per run. collect.ts turns records and
// /health samples into a bounded data object (types.ts), render.ts turns it, run.json and
// summary.json into HTML; the browser code that draws the charts lives in client/.
export {
  createReportCollector,
  DEFAULT_LIMITS,
  type CollectLimits,
  type CollectorOptions,
  type ReportCollector,
} from './collect.js';
export { comparisonHtml } from './comparison.js';
export { loadPageAssets } from './assets.js';
export { renderReportHtml, type PageAssets, type PageInput } from './render.js';
export type { ReportData } from './types.js';
