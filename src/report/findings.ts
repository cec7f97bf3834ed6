// The findings (src/answers) as console lines: one paragraph each, kind first.
import type { Recommendation } from '../answers/recommendation.js';

const TITLES: Record<Recommendation['kind'], string> = {
  capacity: 'capacity',
  'capacity-plan': 'plan',
  'stream-batching': 'stream batching',
  'stream-batching-no-effect': 'stream batching',
  'poll-interval': 'poll interval',
  'cold-starts': 'cold starts',
};

export function findingLines(recommendations: readonly Recommendation[]): string {
  return ['Findings:', ...recommendations.map((r) => `  ${TITLES[r.kind]}: ${r.reason}`)].join('\n');
}
