// Request traces: when each request arrived and how long its input and output were. Two
// public layouts are read as they are published:
//   azure     CSV `TIMESTAMP,ContextTokens,GeneratedTokens` (Azure LLM inference traces,
//             TIMESTAMP a date-time such as 2023-11-16 18:15:46.6805900)
//   mooncake  JSONL `{"timestamp": ms, "input_length", "output_length", "hash_ids": [...]}`
//             (Mooncake traces; each hash id names one block of prompt tokens, and requests
//             that share ids share those blocks of their prompt)
// Offsets are counted from the earliest request. Read synchronously: the scenario loader
// turns the offsets into the plan's arrivals before anything runs.
import { resolve, dirname } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { fileTypeOf, readTextRows, type Row } from './rows.js';

export const TRACE_LAYOUTS = ['azure', 'mooncake'] as const;
export type TraceLayout = (typeof TRACE_LAYOUTS)[number];

export interface TraceEntry {
  /** Arrival offset from the trace's first request, in ms (unscaled). */
  offsetMs: number;
  inputTokens: number;
  outputTokens: number;
  /** Mooncake: the prompt's blocks; equal ids mean equal text. */
  hashIds?: number[];
}

export interface TraceSettings {
  file: string;
  layout?: TraceLayout | undefined;
}

// The scenario loader (arrivals) and the prompt source (lengths) read the same trace, and a
// sweep re-reads the scenario per step: one parse per file.
const cache = new Map<string, TraceEntry[]>();

/** The trace named by a scenario (its path relative to the scenario file), in arrival order. */
export function loadTrace(settings: TraceSettings, scenarioFile: string): TraceEntry[] {
  const path = resolve(dirname(scenarioFile), settings.file);
  const key = `${settings.layout ?? ''}:${path}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const entries = readTrace(path, settings.layout);
  cache.set(key, entries);
  return entries;
}

export function readTrace(path: string, given: TraceLayout | undefined): TraceEntry[] {
  const type = fileTypeOf(path, undefined);
  const layout = given ?? (type === 'csv' ? 'azure' : 'mooncake');
  if (type === 'parquet') throw new UsageError(`${path}: traces are read from CSV (azure) or JSONL (mooncake) files`);
  const rows = readTextRows(path, type, 'trace file');
  const read = layout === 'azure' ? azureEntry : mooncakeEntry;
  const entries = rows.map((row, index) => ({ ...read(row, path), index }));
  if (entries.length === 0) throw new UsageError(`${path}: the trace has no requests`);
  // Traces are published in time order; sorted anyway (stably), so offsets never go back.
  const sorted = entries.sort((a, b) => a.at - b.at || a.index - b.index);
  const first = (sorted[0] as { at: number }).at;
  return sorted.map(({ at, inputTokens, outputTokens, hashIds }) => ({
    offsetMs: at - first,
    inputTokens,
    outputTokens,
    ...(hashIds ? { hashIds } : {}),
  }));
}

interface RawEntry {
  /** Arrival time in ms on the trace's own scale. */
  at: number;
  inputTokens: number;
  outputTokens: number;
  hashIds?: number[];
}

function azureEntry(row: Row, path: string): RawEntry {
  const where = `${path}: ${row.where}`;
  const at = parseTimestamp(row.value.TIMESTAMP);
  if (at === undefined)
    throw new UsageError(
      `${where}: TIMESTAMP: expected a date-time such as 2023-11-16 18:15:46.6805900, got ${JSON.stringify(row.value.TIMESTAMP)} (an Azure trace has columns TIMESTAMP,ContextTokens,GeneratedTokens)`,
    );
  return {
    at,
    inputTokens: count(row.value.ContextTokens, `${where}: ContextTokens`),
    outputTokens: count(row.value.GeneratedTokens, `${where}: GeneratedTokens`),
  };
}

function mooncakeEntry(row: Row, path: string): RawEntry {
  const where = `${path}: ${row.where}`;
  const at = row.value.timestamp;
  if (typeof at !== 'number' || !Number.isFinite(at) || at < 0)
    throw new UsageError(
      `${where}: timestamp: expected milliseconds (a number of at least 0), got ${JSON.stringify(at)} (a Mooncake trace line is {"timestamp", "input_length", "output_length", "hash_ids"})`,
    );
  const hashIds = row.value.hash_ids;
  if (hashIds !== undefined && !(Array.isArray(hashIds) && hashIds.every((id) => Number.isInteger(id))))
    throw new UsageError(`${where}: hash_ids: expected a list of whole numbers`);
  return {
    at,
    inputTokens: count(row.value.input_length, `${where}: input_length`),
    outputTokens: count(row.value.output_length, `${where}: output_length`),
    ...(hashIds ? { hashIds: hashIds as number[] } : {}),
  };
}

function count(value: unknown, where: string): number {
  const n = typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
    throw new UsageError(`${where}: expected a whole number of tokens above 0, got ${JSON.stringify(value)}`);
  return n;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:Z|[+-]00:?00)?$/;

/** "2023-11-16 18:15:46.6805900" → ms (UTC; only differences matter). Date.parse takes neither the space nor 7 digits. */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = TIMESTAMP.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac] = m;
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(base)) return undefined;
  return base + (frac ? Number(`0.${frac}`) * 1000 : 0);
}
