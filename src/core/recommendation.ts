// A finding as summary.json's `recommendations` states it for readers: what to do (or that
// nothing can be done), why, and the numbers behind it, rounded for reading. Rendered from
// the finding's data (src/report/recommendation.ts); `findings` beside it holds that data.
export type RecommendationKind =
  | 'capacity'
  | 'capacity-plan'
  | 'profile-sweep'
  | 'stream-batching'
  | 'stream-batching-no-effect'
  | 'poll-interval'
  | 'cold-starts'
  | 'platform-overhead'
  | 'what-if';

export interface Recommendation {
  kind: RecommendationKind;
  /** The recommended setting or figure: a number, a setting object, or a list of settings. */
  value: number | Record<string, unknown> | Array<Record<string, unknown>> | null;
  /** One or two sentences a person can act on. */
  reason: string;
  /** The measurements the reason rests on. */
  numbers: Record<string, number | string | null>;
}
