// Did the run measure all it was to? A Ctrl-C or a budget stops a run between or inside its
// variants: run.json marks it (`interrupted`, `stoppedBy`), a capacity search that concluded
// wrote its conclusion (analysis.sweepConclusion), and each variant keeps the requests its
// plan fixed (plannedRequests). An answer from such a run rests on the variants measured in
// full only, and says so (src/core/findings.ts, Incomplete). Pure.
import type { Incomplete } from '../core/findings.js';
import type { RunMeta, RunSummary, VariantSummary } from '../core/summary.js';

/** What stopped the run early, or undefined when it ran to its end. */
export function earlyStop(meta: RunMeta): string | undefined {
  if (meta.interrupted) return 'interrupted';
  return meta.stoppedBy;
}

/**
 * Did the stop cut this variant short? When its plan fixed its requests, by the count it
 * recorded; when not (a timed load), the variant that was running when the run stopped (the
 * last one with any record) is taken as cut short.
 */
function cutShort(variant: VariantSummary, meta: RunMeta, last: VariantSummary | undefined): boolean {
  const planned = meta.variants.find((v) => v.name === variant.name)?.plannedRequests;
  const recorded = variant.counts.scheduled + variant.counts.warmup;
  if (recorded === 0) return true;
  if (planned !== undefined) return recorded < planned;
  return variant === last;
}

export interface RunCompleteness {
  /** The variants measured in full (every variant when the run ran to its end), in run order. */
  complete: VariantSummary[];
  /** Undefined when the run ran to its end. */
  incomplete: Incomplete | undefined;
}

/**
 * The variants an answer may rest on. `planned`: the variants the run was to measure (null
 * for a search, which decides as it goes). A run that stopped after its last variant was
 * measured in full is complete.
 */
export function completeness(meta: RunMeta, summary: RunSummary, planned: number | null): RunCompleteness {
  const variants = summary.variants;
  const cause = earlyStop(meta);
  if (cause === undefined) return { complete: [...variants], incomplete: undefined };
  const ran = variants.filter((v) => v.counts.scheduled + v.counts.warmup > 0);
  const last = ran.at(-1);
  const complete = variants.filter((v) => !cutShort(v, meta, last));
  const short = ran.filter((v) => !complete.includes(v));
  if (planned !== null && complete.length >= planned) return { complete, incomplete: undefined };
  return {
    complete,
    incomplete: {
      cause,
      measured: complete.length,
      planned,
      cutShort: short.length > 0 ? short.map((v) => v.name).join(', ') : null,
    },
  };
}
