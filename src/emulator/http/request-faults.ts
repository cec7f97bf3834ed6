// Seeded per-request fault injection (settings.faults): one uniform draw per API request
// picks at most one fault, in this order of the cumulative probabilities:
//
//   http429    answer 429 before doing anything
//   http5xx    answer 500, 502 or 503 (equally likely) before doing anything
//   reset      destroy the connection without an answer, before doing anything
//   slow       do the work, answer slowMs (emulated) late
//   malformed  do the work, answer 200 with the JSON body cut short
//
// "Before doing anything" means a /run hit by one of the first three creates no job; slow
// and malformed ones do create it (the client just cannot read the answer).
import type { Rng } from '../../util/rng.js';
import type { EmulatorSettings } from '../settings/schema.js';

export type RequestFault =
  | { kind: 'none' }
  | { kind: 'http429' }
  | { kind: 'http5xx'; status: 500 | 502 | 503 }
  | { kind: 'reset' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'malformed'; keepFraction: number };

const NONE: RequestFault = { kind: 'none' };
const STATUSES = [500, 502, 503] as const;

export class RequestFaults {
  private readonly faults: EmulatorSettings['faults'];
  private readonly timeScale: number;
  private readonly rng: Rng;
  private readonly any: boolean;

  constructor(settings: EmulatorSettings, rng: Rng) {
    this.faults = settings.faults;
    this.timeScale = settings.timeScale;
    this.rng = rng;
    const f = settings.faults;
    this.any = f.http429 + f.http5xx + f.reset + f.slow + f.malformed > 0;
  }

  draw(): RequestFault {
    if (!this.any) return NONE;
    const f = this.faults;
    const r = this.rng.next();
    let edge = f.http429;
    if (r < edge) return { kind: 'http429' };
    edge += f.http5xx;
    if (r < edge) return { kind: 'http5xx', status: STATUSES[Math.floor(this.rng.next() * 3)] as 500 | 502 | 503 };
    edge += f.reset;
    if (r < edge) return { kind: 'reset' };
    edge += f.slow;
    if (r < edge) return { kind: 'slow', delayMs: f.slowMs / this.timeScale };
    edge += f.malformed;
    if (r < edge) return { kind: 'malformed', keepFraction: this.rng.next() * 0.9 };
    return NONE;
  }
}
