// The files compare and --baseline read: a summary.json, a repeat's aggregate.json, a
// baseline written by --save-baseline, or a run folder holding one of them. The only file
// reading in src/checks; everything it returns goes to the pure modules. A summary.json
// beside its results.ndjson (a run folder) gets its request tables from the records.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UsageError, messageOf } from '../core/errors.js';
import { AGGREGATE_FILE, RUN_FILES } from '../core/run-folder.js';
import type { RequestRecord } from '../core/record.js';
import { SCHEMA_VERSION, type RunMeta, type RunSummary } from '../core/summary.js';
import { createTableCollector, type RequestTable } from '../metrics/request-table.js';
import { requestSlos } from '../metrics/goodput.js';
import { readNdjson } from '../util/read-ndjson.js';
import { fsReason } from '../util/fs-error.js';
import { STATS_FORMAT, STATS_FORMAT_VERSIONS, runStats, type RunStats } from './run-stats.js';

const SUMMARY_FILE = RUN_FILES.summaryJson;

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read: ${fsReason(err) ?? messageOf(err)}`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(`${path}: not JSON: ${messageOf(err)}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkSchema(path: string, schemaVersion: unknown): void {
  if (schemaVersion !== SCHEMA_VERSION) {
    throw new UsageError(
      `${path}: schemaVersion ${JSON.stringify(schemaVersion)}, this podbench reads ${SCHEMA_VERSION}: its numbers may not mean the same; record a new baseline with this podbench (podbench run --save-baseline)`,
    );
  }
}

/** One run's request tables, from the results.ndjson beside its summary (the records are the source of truth). */
export async function tablesFromRecords(
  resultsPath: string,
  variants: RunMeta['variants'],
  slo: readonly string[] = [],
): Promise<Record<string, RequestTable>> {
  const collector = createTableCollector(variants, { slos: requestSlos(slo) });
  for await (const record of readNdjson<RequestRecord>(resultsPath, { skipped: [] })) collector.add(record);
  return collector.finish();
}

/** A file's statistics, whatever kind of podbench result it is. */
export async function statsFromFile(path: string): Promise<RunStats> {
  const value = readJson(path);
  if (isObject(value) && value.format === STATS_FORMAT) {
    if (!STATS_FORMAT_VERSIONS.includes(value.formatVersion as number)) {
      throw new UsageError(
        `${path}: a ${STATS_FORMAT} file of formatVersion ${JSON.stringify(value.formatVersion)}; this podbench reads ${STATS_FORMAT_VERSIONS.join(' and ')}`,
      );
    }
    checkSchema(path, value.schemaVersion);
    return value as unknown as RunStats;
  }
  if (isObject(value) && Array.isArray(value.variants) && isObject(value.run)) {
    checkSchema(path, value.schemaVersion);
    const summary = value as unknown as RunSummary;
    const results = join(dirname(path), RUN_FILES.results);
    const tables = existsSync(results)
      ? [await tablesFromRecords(results, summary.run.variants ?? [], summary.run.analysis?.slo)]
      : undefined;
    return runStats([summary], tables);
  }
  throw new UsageError(`${path}: not a podbench summary.json, ${AGGREGATE_FILE} or baseline file`);
}

/** A file, or a run folder (its aggregate.json when it holds repeats, else its summary.json). */
export async function readStats(path: string): Promise<RunStats> {
  if (!existsSync(path)) throw new UsageError(`${path}: no such file or folder`);
  if (!statSync(path).isDirectory()) return statsFromFile(path);
  for (const name of [AGGREGATE_FILE, SUMMARY_FILE]) {
    const file = join(path, name);
    if (existsSync(file)) return statsFromFile(file);
  }
  throw new UsageError(
    `${path}: no ${SUMMARY_FILE} or ${AGGREGATE_FILE} in this folder; pass a run folder, a summary.json or a baseline file`,
  );
}

/** A tolerances file (YAML or JSON): {metrics?: [...], tolerances?: {name: band}}. */
export function readToleranceFile(path: string): { path: string; content: unknown } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    // "no such file or folder (ENOENT)", not Node's "ENOENT: no such file or directory, open '...'".
    throw new UsageError(`${path}: cannot read the tolerances file: ${fsReason(err) ?? messageOf(err)}`);
  }
  try {
    return { path, content: parseYaml(text) as unknown };
  } catch (err) {
    throw new UsageError(`${path}: not valid YAML or JSON: ${messageOf(err).split('\n')[0]}`);
  }
}
