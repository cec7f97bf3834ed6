// The findings (src/answers) as console lines: one paragraph each, topic first.
import type { Finding } from '../core/findings.js';
import type { RecommendationKind } from '../core/recommendation.js';
import { recommendationOf } from './recommendation.js';

const TITLES: Record<RecommendationKind, string> = {
  capacity: 'capacity',
  'capacity-plan': 'plan',
  'profile-sweep': 'sweep',
  'stream-batching': 'stream batching',
  'stream-batching-no-effect': 'stream batching',
  'poll-interval': 'poll interval',
  'cold-starts': 'cold starts',
  'platform-overhead': 'platform overhead',
  'what-if': 'what-if (a model)',
};

export function findingLines(findings: readonly Finding[]): string {
  return ['Findings:', ...findings.map(recommendationOf).map((r) => `  ${TITLES[r.kind]}: ${r.reason}`)].join('\n');
}
