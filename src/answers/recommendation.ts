// A finding podbench states in summary.json, on the console and in the HTML report: what
// to do (or that nothing can be done), why, and the numbers behind it.
export type RecommendationKind =
  | 'capacity'
  | 'capacity-plan'
  | 'stream-batching'
  | 'stream-batching-no-effect'
  | 'poll-interval'
  | 'cold-starts';

export interface Recommendation {
  kind: RecommendationKind;
  /** The recommended setting or figure: a number, a setting object, or a list of settings. */
  value: unknown;
  /** One or two sentences a person can act on. */
  reason: string;
  /** The measurements the reason rests on. */
  numbers: Record<string, number | string | null>;
}
