// A run made with plain k6 (`podbench k6 export`, one machine or N): the raw JSON outputs
// under k6/ become the run's results.ndjson, one record per request from the per-request
// events (never from k6's per-instance summaries), so every percentile comes from all
// requests of all instances. run.json gets the run's start: the earliest k6 sample.
import { createReadStream, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { UsageError } from '../../core/errors.js';
import type { Mode, Phase } from '../../core/record.js';
import { cleanRecord } from '../../util/clean-record.js';
import { K6_OUTPUT_DIR, RUN_FILES } from '../../core/run-folder.js';
import type { RunMeta } from '../../core/summary.js';
import { openNdjsonSink } from '../../util/ndjson-sink.js';
import { isTornJsonLine, parsePointLine, type K6Point } from './points.js';
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

/** The podbench points of one output; `onTorn` hears of a last line cut off mid-write (k6 was killed). */
async function* points(path: string, onTorn?: (line: string) => void): AsyncGenerator<K6Point> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  let last = '';
  for await (const line of lines) {
    if (line.trim() !== '') last = line;
    const point = parsePointLine(line);
    if (point) yield point;
  }
  if (onTorn && isTornJsonLine(last)) onTorn(last);
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
    const torn = (line: string) =>
      warnings.push(
        `${file}: the last line is not whole JSON (${JSON.stringify(line.length > 40 ? `${line.slice(0, 40)}…` : line)}): k6 was killed while writing it; that sample was skipped`,
      );
    for await (const point of points(file, torn)) {
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
  /** The output files holding each variant's samples: one per instance that ran it. */
  const outputsOf = new Map<string, string[]>();
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
      for (const variant of builders.keys()) outputsOf.set(variant, [...(outputsOf.get(variant) ?? []), file]);
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
  warnings.push(...missingSegments(meta, outputsOf, join(runDir, K6_OUTPUT_DIR)));
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

/**
 * Variants with outputs of fewer instances than the export planned (run.json k6Instances):
 * each instance ran one execution segment, so the missing ones' requests are not in the run.
 */
function missingSegments(meta: RunMeta, outputsOf: ReadonlyMap<string, string[]>, dir: string): string[] {
  const planned = meta.k6Instances ?? 1;
  if (planned <= 1) return [];
  return meta.variants.flatMap((v) => {
    const outputs = outputsOf.get(v.name) ?? [];
    if (outputs.length >= planned) return [];
    const held = outputs.length > 0 ? ` (${outputs.map((f) => basename(f)).join(', ')})` : '';
    return [
      `${dir}/: variant ${v.name}: outputs of ${outputs.length} of the ${planned} k6 instances the export planned${held}; the requests of the ${planned - outputs.length} missing execution segment${planned - outputs.length === 1 ? '' : 's'} are not in this report (add their outputs, delete results.ndjson and run podbench report again)`,
    ];
  });
}
