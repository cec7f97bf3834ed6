// Per-variant series over time windows, fed one record at a time in O(1) memory per window:
//   inFlight            mean requests in flight (sent → end), time-weighted over the window;
//                       a request contributes the part of the window it covers (windows it
//                       fully spans are added through a difference array, so a long request
//                       costs O(1), not O(windows))
//   completionsPerSec   ok requests ending in the window / window length
//   outputTokensPerSec  tokens of ok requests by chunk arrival (streams) or at the end
//   errorsPerSec        sent requests ending in the window with any other outcome
//   ttftP50Ms, e2eP50Ms p50 over the ok requests sent in the window, from a bounded sample
//                       per window (exact while a window holds at most `windowSample` of them)
import type { RequestRecord } from '../../core/record.js';
import { medianOf, round3 } from './cdf.js';
import { createNumberReservoir, type NumberReservoir } from './reservoir.js';
import type { OverTime } from './types.js';
import type { TimeWindows } from './windows.js';

interface VariantSeries {
  coveredMs: Float64Array;
  /** +1 at the first fully covered window, -1 after the last: a running sum gives full coverage. */
  fullStarts: Float64Array;
  completions: Float64Array;
  tokens: Float64Array;
  errors: Float64Array;
  ttft: Array<NumberReservoir | undefined>;
  e2e: Array<NumberReservoir | undefined>;
  activeFromMs: number;
  activeToMs: number;
}

export interface TimeSeriesCollector {
  add(variant: number, record: RequestRecord): void;
  finish(variantCount: number): OverTime;
  /** How many (variant, window, metric) samples held more requests than they keep. */
  readonly sampledWindows: number;
}

export function createTimeSeries(
  windows: TimeWindows,
  windowSample: number,
  random: () => number,
): TimeSeriesCollector {
  const perVariant: VariantSeries[] = [];
  let sampledWindows = 0;
  const seriesOf = (variant: number): VariantSeries => {
    let s = perVariant[variant];
    if (!s) {
      const n = windows.count;
      s = {
        coveredMs: new Float64Array(n),
        fullStarts: new Float64Array(n + 1),
        completions: new Float64Array(n),
        tokens: new Float64Array(n),
        errors: new Float64Array(n),
        ttft: [],
        e2e: [],
        activeFromMs: Number.POSITIVE_INFINITY,
        activeToMs: Number.NEGATIVE_INFINITY,
      };
      perVariant[variant] = s;
    }
    return s;
  };
  const sampleInto = (list: Array<NumberReservoir | undefined>, index: number, value: number) => {
    let r = list[index];
    if (!r) list[index] = r = createNumberReservoir(windowSample, random);
    r.add(value);
    if (r.seen === windowSample + 1) sampledWindows += 1;
  };

  return {
    get sampledWindows() {
      return sampledWindows;
    },
    add(variant, r) {
      const s = seriesOf(variant);
      s.activeFromMs = Math.min(s.activeFromMs, r.scheduledMs);
      s.activeToMs = Math.max(s.activeToMs, r.endMs);
      if (r.sentMs === undefined) return; // never sent: no load, no latency, not an error of the endpoint
      addInterval(s, windows, r.sentMs, r.endMs);
      const endIndex = windows.indexOf(r.endMs);
      if (r.outcome !== 'ok') {
        s.errors[endIndex] = (s.errors[endIndex] as number) + 1;
        return;
      }
      s.completions[endIndex] = (s.completions[endIndex] as number) + 1;
      const chunks = r.chunks;
      if (chunks && chunks.length > 0) {
        for (let c = 0; c < chunks.length; c++) {
          const chunk = chunks[c] as [number, number];
          const i = windows.indexOf(chunk[0]);
          s.tokens[i] = (s.tokens[i] as number) + chunk[1];
        }
      } else if (r.outputTokens !== undefined) {
        s.tokens[endIndex] = (s.tokens[endIndex] as number) + r.outputTokens;
      }
      const sentIndex = windows.indexOf(r.sentMs);
      if (r.firstTokenMs !== undefined) sampleInto(s.ttft, sentIndex, r.firstTokenMs - r.sentMs);
      sampleInto(s.e2e, sentIndex, r.endMs - r.sentMs);
    },
    finish(variantCount) {
      const startMs = Array.from({ length: windows.count }, (_, i) => round3(windows.startMs(i)));
      const last = windows.count - 1;
      const out: OverTime = {
        spanMs: round3(windows.startMs(last) + windows.lengthMs(last)),
        windowMs: windows.widthMs,
        startMs,
        inFlight: [],
        completionsPerSec: [],
        outputTokensPerSec: [],
        errorsPerSec: [],
        ttftP50Ms: [],
        e2eP50Ms: [],
      };
      for (let v = 0; v < variantCount; v++) {
        const s = perVariant[v];
        const active = (i: number) =>
          s !== undefined &&
          windows.startMs(i) + windows.lengthMs(i) > s.activeFromMs &&
          windows.startMs(i) <= s.activeToMs;
        const per = (values: Float64Array | undefined, scale: (i: number) => number) =>
          startMs.map((_, i) => (active(i) ? round3(((values?.[i] as number) ?? 0) * scale(i)) : null));
        const perSec = (i: number) => 1000 / windows.lengthMs(i);
        let full = 0;
        out.inFlight.push(
          startMs.map((_, i) => {
            full += s ? (s.fullStarts[i] as number) : 0;
            if (!active(i) || !s) return null;
            return round3(((s.coveredMs[i] as number) + full * windows.lengthMs(i)) / windows.lengthMs(i));
          }),
        );
        out.completionsPerSec.push(per(s?.completions, perSec));
        out.outputTokensPerSec.push(per(s?.tokens, perSec));
        out.errorsPerSec.push(per(s?.errors, perSec));
        out.ttftP50Ms.push(startMs.map((_, i) => (active(i) ? medianOf(s?.ttft[i]) : null)));
        out.e2eP50Ms.push(startMs.map((_, i) => (active(i) ? medianOf(s?.e2e[i]) : null)));
      }
      return out;
    },
  };
}

/** Adds the time [fromMs, toMs] spends in each window: partial windows directly, full ones through the difference array. */
function addInterval(s: VariantSeries, windows: TimeWindows, fromMs: number, toMs: number): void {
  if (!(toMs > fromMs)) return;
  const first = windows.indexOf(fromMs);
  const last = windows.indexOf(toMs);
  if (first === last) {
    s.coveredMs[first] = (s.coveredMs[first] as number) + (toMs - fromMs);
    return;
  }
  s.coveredMs[first] = (s.coveredMs[first] as number) + (windows.startMs(first) + windows.lengthMs(first) - fromMs);
  s.coveredMs[last] = (s.coveredMs[last] as number) + (toMs - windows.startMs(last));
  if (last > first + 1) {
    s.fullStarts[first + 1] = (s.fullStarts[first + 1] as number) + 1;
    s.fullStarts[last] = (s.fullStarts[last] as number) - 1;
  }
}
