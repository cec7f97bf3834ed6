// The findings (src/answers) on the page: what to do, why, and the numbers behind it.
import type { Finding } from '../../core/findings.js';
import type { Recommendation } from '../../core/recommendation.js';
import { recommendationOf } from '../recommendation.js';
import { escapeHtml as e } from './escape.js';

const TITLES: Record<Recommendation['kind'], string> = {
  capacity: 'Capacity',
  'capacity-plan': 'Plan',
  'profile-sweep': 'Sweep (synchronous to throughput)',
  'stream-batching': 'Stream batching',
  'stream-batching-no-effect': 'Stream batching has no effect',
  'poll-interval': 'Poll interval',
  'cold-starts': 'Cold starts',
  'platform-overhead': 'What the platform adds',
  'what-if': 'What-if (a model)',
};

/**
 * A number as the table shows it: 3 decimals from 1 up, 3 significant digits below (a price
 * per worker-second of 0.00033 read "0" at 3 decimals).
 */
export function numberText(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  if (Math.abs(value) >= 1) return String(Math.round(value * 1000) / 1000);
  return String(Number(value.toPrecision(3)));
}

function numbersTable(numbers: Recommendation['numbers']): string {
  const rows = Object.entries(numbers)
    .filter(([, value]) => value !== null)
    .map(
      ([name, value]) =>
        `<tr><th scope="row">${e(name)}</th><td>${e(typeof value === 'number' ? numberText(value) : String(value))}</td></tr>`,
    );
  return rows.length > 0
    ? `<details><summary>numbers</summary><table class="numbers">${rows.join('')}</table></details>`
    : '';
}

/** What each kind of finding answers, in the words of the findings section's note. */
const ANSWERS: Record<Finding['kind'], string> = {
  capacity: 'capacity within the SLOs',
  'no-capacity': 'capacity within the SLOs',
  'profile-sweep': 'the sweep from synchronous to throughput',
  'capacity-plan': 'a plan',
  'no-capacity-plan': 'a plan',
  'run-cost': 'what the run cost',
  'stream-batching-no-effect': 'stream batching',
  'stream-batching-alike': 'stream batching',
  'stream-batching-target-met': 'stream batching',
  'stream-batching-target-missed': 'stream batching',
  'stream-batching-front': 'stream batching',
  'cold-starts': 'cold starts',
  'platform-overhead': 'what the platform adds',
  'what-if-answer': 'a what-if (a model)',
  'what-if-none': 'a what-if (a model)',
};

/** "What the run answers: cold starts.": the topics of these findings, in their order, each once. */
export function answersNote(findings: readonly Finding[]): string {
  const topics = [...new Set(findings.map((f) => ANSWERS[f.kind]))];
  return `What the run answers: ${topics.join(', ')}. The numbers behind each are in summary.json.`;
}

export function findingsList(findings: readonly Finding[]): string {
  const items = findings
    .map(recommendationOf)
    .map(
      (r) =>
        `<li class="finding ${r.kind}"><strong>${e(TITLES[r.kind])}.</strong> ${e(r.reason)}${numbersTable(r.numbers)}</li>`,
    );
  return `<ul class="findings">\n${items.join('\n')}\n</ul>`;
}
