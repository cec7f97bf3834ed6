// A load plan in words, for run.json, the console and reports.
import { formatDurationMs } from '../util/duration.js';
import type { LoadPlan } from './load-plan.js';

export function describeLoad(plan: LoadPlan): string {
  if (plan.model === 'probe') {
    const pause = plan.probe?.untilIdle
      ? 'waiting for scale-to-zero'
      : `${formatDurationMs(plan.probe?.gapMs ?? 0)} apart`;
    return `${plan.requests} probes, one at a time, ${pause}${plan.probe?.untilIdle && plan.probe.gapMs > 0 ? ` and ${formatDurationMs(plan.probe.gapMs)}` : ''}`;
  }
  if (plan.replay) {
    const arrivals = plan.replay.arrivalsMs;
    const pace = plan.replay.speedup === 1 ? "at the trace's pace" : `${plan.replay.speedup}× the trace's pace`;
    const parts = [
      `trace replay ${pace}: ${arrivals.length} arrivals over ${formatDurationMs(Math.round(arrivals.at(-1) ?? 0))} (mean ${plan.profile[0]?.level.toFixed(2)} req/s)`,
    ];
    if (plan.maxInFlight !== undefined) parts.push(`at most ${plan.maxInFlight} in flight`);
    if (plan.requests !== undefined) parts.push(`first ${plan.requests} requests`);
    if (plan.durationMs !== undefined) parts.push(`cut at ${formatDurationMs(plan.durationMs)}`);
    return parts.join(', ');
  }
  const levels = plan.profile.map((p) => p.level);
  const unit = plan.model === 'open' ? ' req/s' : '';
  const level =
    levels.length === 1 || levels.every((l) => l === levels[0])
      ? `${levels[0]}${unit}`
      : `${levels.join(' → ')}${unit} over ${plan.profile.length - 1} stage${plan.profile.length > 2 ? 's' : ''}`;
  const parts = [
    plan.model === 'open' ? `open loop (${plan.arrival}), rate ${level}` : `closed loop, concurrency ${level}`,
  ];
  if (plan.maxInFlight !== undefined) parts.push(`at most ${plan.maxInFlight} in flight`);
  const stops: string[] = [];
  if (plan.requests !== undefined) stops.push(`${plan.requests} requests`);
  if (plan.durationMs !== undefined) stops.push(formatDurationMs(plan.durationMs));
  parts.push(stops.join(' or '));
  const warm: string[] = [];
  if (plan.warmup.requests > 0) warm.push(`${plan.warmup.requests} requests`);
  if (plan.warmup.durationMs > 0) warm.push(formatDurationMs(plan.warmup.durationMs));
  if (warm.length > 0) parts.push(`after a warmup of ${warm.join(' and ')}`);
  return parts.join(', ');
}
