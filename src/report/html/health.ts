// What the endpoint said about itself (GET /health, sampled by the runner), on the same
// windows as the other series. Each field keeps its maximum per window: a worker that booted
// and left inside one window still shows, which the last sample would hide.
import type { HealthSample } from '../../core/health.js';
import type { HealthSeries } from './types.js';
import type { TimeWindows } from './windows.js';

/** Fields drawn, in legend order; others the endpoint may add are ignored. */
const FIELDS = [
  'workers.running',
  'workers.idle',
  'workers.initializing',
  'workers.ready',
  'workers.throttled',
  'workers.unhealthy',
  'jobs.inQueue',
  'jobs.inProgress',
] as const;

export interface HealthCollector {
  add(line: HealthSample): void;
  finish(): HealthSeries | null;
}

export function createHealthCollector(windows: TimeWindows): HealthCollector {
  const max = new Map<string, Array<number | null>>();
  let samples = 0;
  let failedSamples = 0;
  return {
    add(line) {
      samples += 1;
      if (line.error !== undefined || (!line.workers && !line.jobs)) {
        failedSamples += 1;
        return;
      }
      const i = windows.indexOf(line.tMs);
      for (const field of FIELDS) {
        const [group, key] = field.split('.') as ['workers' | 'jobs', string];
        const value = line[group]?.[key];
        if (typeof value !== 'number' || !Number.isFinite(value)) continue;
        let values = max.get(field);
        if (!values) {
          values = new Array<number | null>(windows.count).fill(null);
          max.set(field, values);
        }
        values[i] = Math.max(values[i] ?? Number.NEGATIVE_INFINITY, value);
      }
    },
    finish() {
      if (samples === 0) return null;
      const present = FIELDS.filter((f) => max.has(f));
      // A field that stayed 0 all run only adds noise, unless every field did.
      const moving = present.filter((f) => (max.get(f) ?? []).some((v) => v !== null && v !== 0));
      // Running stays on the chart even at 0 all run: "no worker ever ran" is the finding then.
      const shown = present.filter((f) => moving.includes(f) || f === 'workers.running');
      return { samples, failedSamples, series: shown.map((name) => ({ name, values: max.get(name) ?? [] })) };
    },
  };
}
