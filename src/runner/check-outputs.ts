// Where a check report goes, the same for `podbench run` and `podbench compare`: stdout in
// the --format asked for, the files --markdown, --junit and --json name, and the GitHub
// Actions job summary when $GITHUB_STEP_SUMMARY is set.
import { appendFileSync, writeFileSync } from 'node:fs';
import { RENDERERS, type CheckFormat } from '../checks/render.js';
import { renderJunit } from '../checks/render-junit.js';
import { renderMarkdown } from '../checks/render-markdown.js';
import { renderJson, type CheckReport } from '../checks/report.js';

export interface CheckOutputOptions {
  /** What stdout gets; console by default. */
  format?: CheckFormat;
  markdownFile?: string;
  junitFile?: string;
  jsonFile?: string;
}

export function writeCheckFiles(report: CheckReport, options: CheckOutputOptions, env: NodeJS.ProcessEnv): void {
  if (options.markdownFile !== undefined) writeFileSync(options.markdownFile, renderMarkdown(report));
  if (options.junitFile !== undefined) writeFileSync(options.junitFile, renderJunit(report));
  if (options.jsonFile !== undefined) writeFileSync(options.jsonFile, renderJson(report));
  const stepSummary = env.GITHUB_STEP_SUMMARY;
  if (stepSummary) appendFileSync(stepSummary, `${renderMarkdown(report)}\n`);
}

export function renderFor(report: CheckReport, format: CheckFormat): string {
  return RENDERERS[format](report);
}
