// The slot for a baseline run's verdict, first on the page (before the run's own numbers):
// better / same / worse against the baseline, per variant and metric. Its content belongs to
// the checks (issue 16, src/checks): whatever renders it returns the section's HTML, and the
// page puts it here. Without a comparison the slot stays empty.
import type { RunMeta, RunSummary } from '../../core/summary.js';

export interface VerdictInput {
  meta: RunMeta;
  summary: RunSummary;
  /** The verdict section's HTML, rendered by the checks' own code; absent without a baseline. */
  verdictHtml?: string;
}

/** `<section id="verdict">` holding the verdict, or '' when the run was not compared with a baseline. */
export function verdictSection(input: VerdictInput): string {
  if (!input.verdictHtml) return '';
  return `<section id="verdict" class="purpose">\n${input.verdictHtml}\n</section>`;
}
