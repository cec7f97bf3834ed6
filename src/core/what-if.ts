// What `podbench what-if` tried and found (what-if.json): each candidate endpoint setting
// with what the calibrated emulator predicts for it, and how sure that prediction is. Plain
// data; src/answers/what-if evaluates and chooses, src/report renders.

/** Where a predicted SLO figure stands once the model's error is counted. */
export type SloMargin =
  /** Met with the model's error to spare. */
  | 'met'
  /** Met by the prediction, but not by the prediction plus the model's error. */
  | 'met-within-error'
  /** Missed by the prediction, but within the model's error of the limit. */
  | 'missed-within-error'
  | 'missed'
  /** Met by the prediction; the model's error for this figure is unknown (no replay check). */
  | 'met-error-unknown'
  | 'missed-error-unknown';

export interface SloCheck {
  /** The SLO as written, e.g. "ttftMs.p95 < 2s". */
  expression: string;
  metric: string;
  op: string;
  limit: number;
  predicted: number | null;
  /** The model's relative error for this figure (replay check, or the pessimistic fit); null: unknown. */
  errorShare: number | null;
  margin: SloMargin;
}

export interface WhatIfCandidate {
  /** The searched settings of this candidate, by emulator settings path. */
  settings: Record<string, unknown>;
  /** Cost per hour of traffic, in the currency of the price given (worker-hours without one). */
  costPerHour: number;
  /** Cost per million output tokens. */
  costPerMillionTokens: number | null;
  /** Billed worker-hours per hour: active workers all the time, flex workers from boot to scale-down. */
  workersBilled: number;
  ttftP95Ms: number | null;
  e2eP95Ms: number | null;
  /** Requests that waited for a boot, as a share of all. */
  coldStartShare: number;
  errorRate: number;
  slo: SloCheck[];
  /** Every SLO met by the prediction. */
  meets: boolean;
  /** Every SLO met with the model's error to spare. */
  meetsWithMargin: boolean;
}

/** How the cost is counted. */
export interface WhatIfPrice {
  /** Per flex worker-hour; 1 when no price was given (the costs are then worker-hours). */
  flexPerHour: number;
  /** Per active worker-hour (workers.min). */
  activePerHour: number;
  given: boolean;
}
