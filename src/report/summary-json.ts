// summary.json's text: the summary, and each finding also in words (`recommendations`)
// beside the data (`findings`), so readers of earlier files find what they always found.
import type { RunSummary, SummaryFile } from '../core/summary.js';
import { recommendationOf } from './recommendation.js';

export function summaryJson(summary: RunSummary): string {
  const { findings, ...rest } = summary;
  const file: SummaryFile = findings ? { ...rest, recommendations: findings.map(recommendationOf), findings } : rest;
  return `${JSON.stringify(file, null, 2)}\n`;
}
