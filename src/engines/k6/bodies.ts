// The request bodies a k6 script sends, written beside it as a JSON array of strings.
// Body n is exactly what the native engine sends as the variant's request n (same prompt
// source, same buildSubmission); iteration n of the script sends body n, so the engines
// differ in how they send, never in what.
import type { Variant } from '../../scenario/load.js';
import { buildSubmission } from '../../scenario/payload.js';
import type { PromptSource } from '../../scenario/prompts.js';
import type { K6Plan } from './plan.js';

/**
 * When the plan does not fix the number of requests (a duration with a closed loop or
 * stages), bodies repeat after this many. Synthetic prompts stay distinct up to here; a
 * run longer than that reuses prompts, which a server-side prefix cache could notice.
 */
export const BODY_POOL = 10_000;

export function bodyCount(plan: K6Plan): number {
  return Math.max(1, Math.min(plan.expectedIterations ?? BODY_POOL, BODY_POOL));
}

export interface K6Requests {
  /** Path under the endpoint with its query; the same for every request of a variant. */
  submitPath: string;
  /** JSON text of each body, in request order. */
  bodies: string[];
}

export function k6Requests(
  variant: Variant,
  prompts: PromptSource,
  model: string | undefined,
  count: number,
): K6Requests {
  const bodies: string[] = [];
  let submitPath = '';
  for (let i = 0; i < count; i++) {
    const submission = buildSubmission(variant.scenario, prompts.at(i), model);
    submitPath = submission.path;
    bodies.push(JSON.stringify(submission.body));
  }
  return { submitPath, bodies };
}

/** The body file's text: one body per line, so large files stay readable and diffable. */
export function bodiesFileText(bodies: readonly string[]): string {
  return `[\n${bodies.map((b) => JSON.stringify(b)).join(',\n')}\n]\n`;
}
