// worker-vllm's BatchSize (src/utils.py, <= v2.23.0), exactly: how many stream updates the
// legacy worker gathers before it yields one item. Dynamic only when growth > 1, min >= 1
// and max > min; then the threshold starts at min and is multiplied by growth after every
// yield, capped at max (1, 3, 9, 27, 50, 50, ... with the defaults). Otherwise it stays at
// max. A float growth factor gives float thresholds (1, 1.5, 2.25, ...), compared with >=.
//
// The knobs, and how a job's input overrides them: formats/batch-config.ts.
import type { BatchSizeConfig } from '../formats/batch-config.js';

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

/** A stream being batched: its threshold, and the updates gathered since its last yield. */
export interface Batcher {
  readonly batch: BatchSize;
  readonly config: BatchSizeConfig;
  gathered: number;
}

export function createBatcher(config: BatchSizeConfig): Batcher {
  return { batch: createBatchSize(config), config, gathered: 0 };
}

/**
 * One more update (the worker's counter += 1, then its threshold check): returns the size of
 * the batch this update completes, which the caller yields now, or 0. After a yield the
 * threshold grows. The output emitters batch real streams with this, one update at a time.
 */
export function gather(batcher: Batcher): number {
  batcher.gathered++;
  if (batcher.gathered < batcher.batch.current) return 0;
  const size = batcher.gathered;
  batcher.gathered = 0;
  growBatchSize(batcher.batch, batcher.config);
  return size;
}

/**
 * Sizes of the items a legacy stream of `updates` single-sequence updates is cut into:
 * 100 updates with the defaults give [1, 3, 9, 27, 50, 10]. The last item is only there
 * when something is left over.
 */
export function batchSizesFor(updates: number, config: BatchSizeConfig): number[] {
  const sizes: number[] = [];
  const batcher = createBatcher(config);
  for (let i = 0; i < updates; i++) {
    const size = gather(batcher);
    if (size > 0) sizes.push(size);
  }
  if (batcher.gathered > 0) sizes.push(batcher.gathered);
  return sizes;
}
