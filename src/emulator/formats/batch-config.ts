// The legacy worker's stream batching knobs (worker-vllm <= v2.23.0, src/utils.py): the env
// defaults of the endpoint, and the per-request overrides a job's input may carry, read the
// way the worker reads them. What the knobs do to a stream is ../worker/batch-size.ts.
import { pythonTruthy, pythonType } from './python-repr.js';

export interface BatchSizeConfig {
  maxBatchSize: number;
  minBatchSize: number;
  growthFactor: number;
}

/**
 * The per-request overrides at the top level of a legacy job's input, read as worker-vllm
 * reads them: `max_batch_size or DEFAULT_BATCH_SIZE` (not converted), `int(min_batch_size)`
 * and `float(batch_size_growth_factor)` when truthy. Returns an error message where Python
 * would raise (int("abc")).
 */
export function batchConfigFromInput(
  input: Record<string, unknown>,
  defaults: BatchSizeConfig,
): { config: BatchSizeConfig } | { error: string } {
  const max = input.max_batch_size;
  const min = input.min_batch_size;
  const growth = input.batch_size_growth_factor;
  const config = { ...defaults };
  if (pythonTruthy(max)) {
    if (typeof max !== 'number')
      return { error: `'>' not supported between instances of '${pythonType(max)}' and 'int'` };
    config.maxBatchSize = max;
  }
  if (pythonTruthy(min)) {
    const parsed = pythonInt(min);
    if (parsed === undefined) return { error: `invalid literal for int() with base 10: ${JSON.stringify(min)}` };
    config.minBatchSize = parsed;
  }
  if (pythonTruthy(growth)) {
    const parsed = pythonFloat(growth);
    if (parsed === undefined) return { error: `could not convert string to float: ${JSON.stringify(growth)}` };
    config.growthFactor = parsed;
  }
  return { config };
}

function pythonInt(value: unknown): number | undefined {
  if (typeof value === 'number') return Math.trunc(value);
  if (value === true) return 1;
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  return undefined;
}

function pythonFloat(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value === true) return 1;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}
