// A run made with plain k6 (`podbench k6 export`, one machine or N): the raw JSON outputs
// under k6/ become the run's results.ndjson, one record per request from the per-request
// events (never from k6's per-instance summaries), so every percentile comes from all
// requests of all instances. run.json gets the run's start: the earliest k6 sample.
import { createReadStream, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { UsageError } from '../../core/errors.js';
import type { Mode, Phase } from '../../core/record.js';
import { cleanRecord } from '../../util/clean-record.js';
import { K6_OUTPUT_DIR, RUN_FILES } from '../../core/run-folder.js';
import type { RunMeta } from '../../core/summary.js';
import { openNdjsonSink } from '../../util/ndjson-sink.js';
import { parsePointLine, type K6Point } from './points.js';
import { createRecordBuilder, type RecordBuilder } from './records.js';
import { K6_METRICS } from './thresholds.js';

/** The k6 output files of a run folder, in name order. */
export function k6OutputFiles(runDir: string): string[] {
  const dir = join(runDir, K6_OUTPUT_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.'))
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile() && statSync(path).size > 0)
    .sort();
}

async function* points(path: string): AsyncGenerator<K6Point> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    const point = parsePointLine(line);
    if (point) yield point;
  }
}

/** Writes results.ndjson from the k6 outputs and returns run.json completed with the start and duration. */
export async function mergeK6Outputs(
  runDir: string,
  meta: RunMeta,
  resultsFile: string,
): Promise<{ meta: RunMeta; warnings: string[] }> {
  const files = k6OutputFiles(runDir);
  const modes = new Map<string, Mode>(meta.variants.map((v) => [v.name, v.mode]));
  const warnings: string[] = [];
  // First pass: the run starts at the earliest sample of any instance.
  let originEpochMs = Number.POSITIVE_INFINITY;
  let lastEpochMs = 0;
  for (const file of files) {
    for await (const point of points(file)) {
      originEpochMs = Math.min(originEpochMs, point.epochMs);
      lastEpochMs = Math.max(lastEpochMs, point.epochMs);
    }
  }
  if (!Number.isFinite(originEpochMs)) {
    throw new UsageError(
      `${join(runDir, K6_OUTPUT_DIR)}: no podbench events in ${files.length} file(s); were they written by the exported scripts with --out json=...?`,
    );
  }
  // Written aside and renamed when complete: a merge that fails leaves no results.ndjson, so the next report merges again.
  const partial = `${resultsFile}.merging`;
  rmSync(partial, { force: true });
  const sink = openNdjsonSink(partial);
  let complete = false;
  let seq = 0;
  let lastEndMs = 0;
  /** Request ids seen per variant, across files: two instances must never run the same iteration. */
  const seen = new Map<string, string>();
  /** Dropped iterations per variant and phase: counts in run.json, as a run writes them. */
  const dropped = new Map<string, Map<Phase, number>>();
  try {
    for (const file of files) {
      const builders = new Map<string, RecordBuilder>();
      const unknown = new Set<string>();
      let fileEndMs = 0;
      for await (const point of points(file)) {
        const variant = point.tags.podbench_variant ?? meta.variants[0]?.name ?? 'default';
        const mode = modes.get(variant);
        if (mode === undefined) {
          unknown.add(variant);
          continue;
        }
        if (point.metric === K6_METRICS.events && point.tags.event === 'sent') {
          const key = `${variant}\u0000${point.metadata.podbench_req}`;
          const earlier = seen.get(key);
          if (earlier !== undefined) {
            throw new UsageError(
              `${file} and ${earlier} both hold request ${point.metadata.podbench_req} of variant ${variant}: the same execution segment twice, or one output copied? Keep one of them in ${K6_OUTPUT_DIR}/`,
            );
          }
          seen.set(key, file);
        }
        let builder = builders.get(variant);
        if (!builder) {
          builder = createRecordBuilder(variant, mode, originEpochMs, {
            nextSeq: () => seq++,
            record: (record) => {
              lastEndMs = Math.max(lastEndMs, record.endMs);
              sink.write(cleanRecord(record));
            },
            notSent: (phase, count) => {
              const byPhase = dropped.get(variant) ?? new Map<Phase, number>();
              byPhase.set(phase, (byPhase.get(phase) ?? 0) + count);
              dropped.set(variant, byPhase);
            },
            // k6 cancels what is in flight when it is stopped (Ctrl-C) or its graceful stop runs out.
            cancelledWhy: () => 'k6 was stopped, or its graceful stop ran out, before this request ended',
          });
          builders.set(variant, builder);
        }
        fileEndMs = Math.max(fileEndMs, point.epochMs - originEpochMs);
        builder.push(point);
      }
      for (const builder of builders.values())
        builder.finish(fileEndMs, 'the k6 output ends before this request did (k6 was interrupted or stopped it)');
      for (const name of unknown)
        warnings.push(`${file}: samples of variant "${name}", which run.json does not list, were skipped`);
    }
    complete = true;
  } finally {
    sink.close();
    // A write that failed (a full disk) leaves no results.ndjson: the next report merges again.
    if (complete && !sink.failure) renameSync(partial, resultsFile);
    else rmSync(partial, { force: true });
  }
  if (sink.failure) throw sink.failure;
  const merged: RunMeta = {
    ...meta,
    variants: meta.variants.map((v) => {
      const byPhase = dropped.get(v.name);
      if (!byPhase) return v;
      const notSent = [...byPhase].map(([phase, count]) => ({ phase, reason: 'k6_dropped' as const, count }));
      return { ...v, notSent };
    }),
    startedEpochMs: originEpochMs,
    startedAt: new Date(originEpochMs).toISOString(),
    durationMs: Math.max(lastEndMs, lastEpochMs - originEpochMs),
  };
  writeFileAtomic(join(runDir, RUN_FILES.meta), `${JSON.stringify(merged, null, 2)}\n`);
  return { meta: merged, warnings };
}
