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

function numbersTable(numbers: Recommendation['numbers']): string {
  const rows = Object.entries(numbers)
    .filter(([, value]) => value !== null)
    .map(
      ([name, value]) =>
        `<tr><th scope="row">${e(name)}</th><td>${e(typeof value === 'number' ? String(Math.round(value * 1000) / 1000) : String(value))}</td></tr>`,
    );
  return rows.length > 0
    ? `<details><summary>numbers</summary><table class="numbers">${rows.join('')}</table></details>`
    : '';
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
