// The check report's formats by name, as --format and the output-file flags of `run` and
// `compare` choose them.
import { renderConsole } from './render-console.js';
import { renderJunit } from './render-junit.js';
import { renderMarkdown } from './render-markdown.js';
import { renderJson, type CheckReport } from './report.js';

export const RENDERERS = {
  console: renderConsole,
  markdown: renderMarkdown,
  junit: renderJunit,
  json: renderJson,
} as const satisfies Record<string, (report: CheckReport) => string>;

export type CheckFormat = keyof typeof RENDERERS;
export const CHECK_FORMATS = Object.keys(RENDERERS) as CheckFormat[];
