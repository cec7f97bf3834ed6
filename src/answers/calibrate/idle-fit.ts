// Idle scale-down: how long a worker with no job stays up. Three kinds of evidence, all
// intervals for the one idle timeout T:
//   a worker that took a job warm after a pause of g was still up:           T > g
//   a worker that had to boot again after its last job ended g before:       T < g
//   /health saw k fewer live workers between two samples a and b: k of the workers idle at
//   a went down in (a, b], so for one of them T lies in (a − its last end, b − its last end]
// The estimate is the range that the most of these agree on; its midpoint is the value.
// Pure.
import type { HealthSample } from '../../core/health.js';
import type { JobObs } from './observations.js';
import type { Boot, WorkerHistory } from './worker-history.js';

export interface IdleFit {
  /** Midpoint of the range the evidence agrees on (null: no evidence at all). */
  valueMs: number | null;
  lowMs: number | null;
  highMs: number | null;
  /** How many pieces of evidence agree on [lowMs, highMs]. */
  agreeing: number;
  /** Scale-downs seen by /health. */
  scaleDowns: number;
  /** Both sides bounded by scale-downs: a fitted value, not a bound. */
  fitted: boolean;
}

type Evidence = { lo: number; hi: number; kind: 'drop' | 'lower' | 'upper' };

function liveOf(s: HealthSample): number | undefined {
  const w = s.workers;
  return w === undefined ? undefined : (w.initializing ?? 0) + (w.ready ?? 0) + (w.running ?? 0);
}

export function fitIdleTimeout(
  history: WorkerHistory,
  jobs: readonly JobObs[],
  health: readonly HealthSample[],
  timeScale: number,
): IdleFit {
  const evidence: Evidence[][] = [];
  const bootOf = new Set<JobObs>(history.boots.map((b: Boot) => b.trigger));
  const bootPickups = new Set<string>(history.boots.map((b) => `${b.worker}\u0000${b.endMs}`));
  // A worker that was warm for its first job may be an active one (workers.min): it never
  // scales down, so its pauses bound nothing.
  const booted = new Set(history.boots.map((b) => b.worker));
  for (const [worker, pickups] of history.workers) {
    if (!booted.has(worker)) continue;
    for (const p of pickups) {
      if (p.fresh !== 'after-gap' || p.previousEndMs === undefined) continue;
      if (bootPickups.has(`${worker}\u0000${p.job.pickupMs}`) || bootOf.has(p.job)) continue;
      // Taken warm: the worker was still up when the job was submitted.
      const gap = p.job.sentMs - p.previousEndMs;
      if (gap > 0) evidence.push([{ lo: gap, hi: Number.POSITIVE_INFINITY, kind: 'lower' }]);
    }
  }
  for (const boot of history.boots) {
    if (!boot.revival || boot.previousEndMs === undefined) continue;
    // It booted again: it had gone down before the job that waited for it was submitted.
    const gap = boot.trigger.sentMs - boot.previousEndMs;
    if (gap > 0) evidence.push([{ lo: 0, hi: gap, kind: 'upper' }]);
  }
  let scaleDowns = 0;
  const byVariant = new Map<string, HealthSample[]>();
  for (const s of health)
    if (liveOf(s) !== undefined) byVariant.set(s.variant, [...(byVariant.get(s.variant) ?? []), s]);
  for (const [variant, samples] of byVariant) {
    samples.sort((x, y) => x.tMs - y.tMs);
    const mine = jobs.filter((j) => j.variant === variant);
    for (let i = 1; i < samples.length; i++) {
      const a = samples[i - 1] as HealthSample;
      const b = samples[i] as HealthSample;
      const drop = (liveOf(a) as number) - (liveOf(b) as number);
      if (drop <= 0) continue;
      const aMs = a.tMs * timeScale;
      const bMs = b.tMs * timeScale;
      // Workers idle at a (nothing in flight, nothing picked up until b): their last ends.
      const lastEnd = new Map<string, number>();
      const busy = new Set<string>();
      for (const j of mine) {
        if (j.pickupMs <= bMs && j.endMs > aMs) busy.add(j.worker);
        if (j.endMs <= aMs) lastEnd.set(j.worker, Math.max(lastEnd.get(j.worker) ?? Number.NEGATIVE_INFINITY, j.endMs));
      }
      const candidates: Evidence[] = [];
      for (const [worker, end] of lastEnd)
        if (!busy.has(worker)) candidates.push({ lo: aMs - end, hi: bMs - end, kind: 'drop' });
      if (candidates.length === 0) continue;
      scaleDowns++;
      evidence.push(candidates);
    }
  }
  if (evidence.length === 0)
    return { valueMs: null, lowMs: null, highMs: null, agreeing: 0, scaleDowns: 0, fitted: false };
  // The range covered by the most pieces of evidence (each counts once, whichever candidate covers).
  const points = new Set<number>([0]);
  for (const e of evidence) for (const c of e) for (const x of [c.lo, c.hi]) if (Number.isFinite(x)) points.add(x);
  const edges = [...points].sort((x, y) => x - y);
  let best = { votes: -1, lo: 0, hi: 0 };
  for (let i = 0; i < edges.length; i++) {
    const lo = edges[i] as number;
    const hi = i + 1 < edges.length ? (edges[i + 1] as number) : Number.POSITIVE_INFINITY;
    const mid = Number.isFinite(hi) ? (lo + hi) / 2 : lo + 1;
    const votes = evidence.filter((e) => e.some((c) => c.lo < mid && mid <= c.hi)).length;
    if (votes > best.votes) best = { votes, lo, hi };
    else if (votes === best.votes && best.hi === lo) best.hi = hi; // widen over equal neighbours
  }
  const dropsAgree = evidence.some((e) => e[0]?.kind === 'drop');
  const lowMs = best.lo > 0 ? best.lo : null;
  const highMs = Number.isFinite(best.hi) ? best.hi : null;
  const fitted = dropsAgree && lowMs !== null && highMs !== null;
  const valueMs = lowMs !== null && highMs !== null ? (lowMs + highMs) / 2 : (lowMs ?? highMs);
  return { valueMs, lowMs, highMs, agreeing: best.votes, scaleDowns, fitted };
}
