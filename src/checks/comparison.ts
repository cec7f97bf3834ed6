// What a comparison with a baseline produced: per variant and metric, the numbers, the
// interval of the change and the verdict (src/checks/compare.ts makes it; the renderers and
// the report page read it).
import type { Estimate } from './confidence.js';
import type { IntervalMethod } from './intervals.js';
import type { Population, Unit } from './metrics.js';

export type Verdict = 'better' | 'same' | 'worse' | 'n/a';

export interface ComparisonRow {
  variant: string;
  group: Population;
  metric: string;
  unit: Unit;
  better: 'lower' | 'higher';
  baseline: Estimate | null;
  current: Estimate | null;
  /** current − baseline (means). */
  change: number | null;
  /** change / |baseline|, null when the baseline is 0. */
  changeRatio: number | null;
  band: string;
  /**
   * How the change was judged: by its interval (bootstrap: one run a side; score: a share;
   * runs: repeats), or by its band alone (point: no per-request values to judge noise by).
   */
  method: IntervalMethod | 'point';
  /** 95% interval of the change (current − baseline). */
  changeCi?: [number, number];
  /** The smallest change this pair of runs could detect (95% confidence, 80% power), in the metric's unit. */
  detectable?: number;
  /** detectable / |baseline|, null when the baseline is 0. */
  detectableRatio?: number | null;
  verdict: Verdict;
  reason: string;
}

export interface ComparedSide {
  /** As the user named it: a file or folder path. */
  label: string;
  runs: number;
  runIds: string[];
}

export interface Comparison {
  scenario: string;
  baseline: ComparedSide;
  current: ComparedSide;
  rows: ComparisonRow[];
  notes: string[];
  regressions: number;
}
