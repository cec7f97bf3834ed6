// worker-vllm's BatchSize (src/utils.py, <= v2.23.0), exactly: how many stream updates the
// legacy worker gathers before it yields one item. Dynamic only when growth > 1, min >= 1
// and max > min; then the threshold starts at min and is multiplied by growth after every
// yield, capped at max (1, 3, 9, 27, 50, 50, ... with the defaults). Otherwise it stays at
// max. A float growth factor gives float thresholds (1, 1.5, 2.25, ...), compared with >=.

import { pythonTruthy, pythonType } from './python-repr.js';

export interface BatchSizeConfig {
  maxBatchSize: number;
  minBatchSize: number;
  growthFactor: number;
}

export interface BatchSize {
  readonly dynamic: boolean;
  /** Updates to gather before the next yield. */
  current: number;
}

export function createBatchSize(config: BatchSizeConfig): BatchSize {
  const dynamic = config.growthFactor > 1 && config.minBatchSize >= 1 && config.maxBatchSize > config.minBatchSize;
  return { dynamic, current: dynamic ? config.minBatchSize : config.maxBatchSize };
}

/** After a yield: grow the threshold (BatchSize.update). */
export function growBatchSize(batch: BatchSize, config: BatchSizeConfig): void {
  if (batch.dynamic) batch.current = Math.min(batch.current * config.growthFactor, config.maxBatchSize);
}

/**
 * Sizes of the items a legacy stream of `updates` single-sequence updates is cut into:
 * 100 updates with the defaults give [1, 3, 9, 27, 50, 10]. The last item is only there
 * when something is left over.
 */
export function batchSizesFor(updates: number, config: BatchSizeConfig): number[] {
  const sizes: number[] = [];
  const batch = createBatchSize(config);
  let count = 0;
  for (let i = 0; i < updates; i++) {
    count++;
    if (count >= batch.current) {
      sizes.push(count);
      count = 0;
      growBatchSize(batch, config);
    }
  }
  if (count > 0) sizes.push(count);
  return sizes;
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
    if (typeof max !== 'number') return { error: `'>' not supported between instances of '${pythonType(max)}' and 'int'` };
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
