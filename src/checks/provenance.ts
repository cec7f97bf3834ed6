// What a variant measured, field by field, so compare can refuse two runs of different
// workloads and name what differs. From the effective scenario run.json records (the file
// after its matrix values, every flag and --set, with defaults filled in), the fields that
// change what is measured:
//
//   target.kind, mode, input.*, sampling_params.*, stream.* (worker-vllm's batch knobs),
//   polling.* (how often podbench looks: TTFT's resolution; not polling.health), load.*,
//   coldStart.* (which requests count as warm), and emulator.* when the target is the
//   embedded emulator (its speed is the "endpoint").
//
// Left out, because two runs differing only there still measure the same thing: the seeds
// (another sample of the same workload), the name, thresholds, SLOs, budgets, timeouts,
// retries, plans, the endpoint's URL or id (a new staging endpoint of the same setup).
import { isPlainObject } from '../util/field-path.js';

const MEASURED_TOP = ['mode', 'input', 'sampling_params', 'stream', 'polling', 'load', 'coldStart'] as const;
const LEFT_OUT = new Set(['polling.health', 'emulator.seed']);

function flatten(value: unknown, path: string, out: Record<string, unknown>): void {
  if (LEFT_OUT.has(path)) return;
  // An empty block ({} for stream knobs left unset) sets nothing.
  if (isPlainObject(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, `${path}.${key}`, out);
    return;
  }
  if (value !== undefined) out[path] = value;
}

/** The measured fields of an effective scenario, flattened to dotted paths, sorted. */
export function measuredFields(effective: Record<string, unknown>, targetKind: string): Record<string, unknown> {
  const out: Record<string, unknown> = { 'target.kind': targetKind };
  for (const key of MEASURED_TOP) flatten(effective[key], key, out);
  if (targetKind === 'emulator') flatten(effective.emulator, 'emulator', out);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export interface FieldChange {
  path: string;
  baseline: unknown;
  current: unknown;
}

/** An empty block and a missing one set the same: nothing. */
const normal = (v: unknown) => (isPlainObject(v) && Object.keys(v).length === 0 ? undefined : v);
const same = (a: unknown, b: unknown) => JSON.stringify(normal(a)) === JSON.stringify(normal(b));

/** Every measured field whose value differs, in path order. */
export function diffMeasured(baseline: Record<string, unknown>, current: Record<string, unknown>): FieldChange[] {
  const paths = [...new Set([...Object.keys(baseline), ...Object.keys(current)])].sort();
  return paths
    .filter((path) => !same(baseline[path], current[path]))
    .map((path) => ({ path, baseline: baseline[path], current: current[path] }));
}

function valueText(value: unknown): string {
  if (value === undefined) return '(not set)';
  return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value);
}

/** "sampling_params.max_tokens 64 → 32" */
export function changeText(change: FieldChange): string {
  return `${change.path} ${valueText(change.baseline)} → ${valueText(change.current)}`;
}
