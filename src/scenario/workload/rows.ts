// Rows of a dataset file, whatever its format: JSON Lines, a JSON array (ShareGPT dumps are
// one), CSV with a header line, or Parquet. Each row is a plain object with where it came
// from ("line 3"), so a bad row is named in the one message the user gets. The I/O edge of
// workloads: everything after works on rows.
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parquetReadObjects } from 'hyparquet';
import { INPUT_LIMITS } from '../../core/input-limits.js';
import { UsageError, messageOf } from '../../core/errors.js';
import { isPlainObject } from '../../util/field-path.js';

export const FILE_TYPES = ['jsonl', 'json', 'csv', 'parquet'] as const;
export type FileType = (typeof FILE_TYPES)[number];

export interface Row {
  /** Where the row is in its file, for messages: "line 3", "item 3", "row 3". */
  where: string;
  value: Record<string, unknown>;
}

/** The file's type from its name: .jsonl/.ndjson, .json, .csv, .parquet. */
export function fileTypeOf(path: string, given: FileType | undefined): FileType {
  if (given) return given;
  const ext = extname(path).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.json') return 'json';
  if (ext === '.csv') return 'csv';
  if (ext === '.parquet') return 'parquet';
  // The file format before issue 19 was JSONL only: a file without a known extension stays JSONL.
  return 'jsonl';
}

/** Reads the whole file (checked against the size limit first). */
export function readBytes(path: string, what: string): Buffer {
  try {
    const size = statSync(path).size;
    if (size > INPUT_LIMITS.promptsFileBytes)
      throw new UsageError(`${path}: ${size} bytes; a ${what} is read whole, at most 256 MB`);
    return readFileSync(path);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `${path}: no such ${what}` : `${path}: cannot read the ${what}: ${messageOf(err)}`,
    );
  }
}

/** Rows of a text file (JSONL, JSON or CSV); synchronous, so the scenario loader can use it. */
export function readTextRows(path: string, type: Exclude<FileType, 'parquet'>, what: string): Row[] {
  const text = readBytes(path, what).toString('utf8');
  switch (type) {
    case 'jsonl':
      return jsonlRows(path, text);
    case 'json':
      return jsonRows(path, text);
    case 'csv':
      return csvRows(path, text);
    default: {
      const never: never = type;
      throw new Error(`unknown file type ${String(never)}`);
    }
  }
}

export async function readRows(path: string, type: FileType, what: string): Promise<Row[]> {
  if (type !== 'parquet') return readTextRows(path, type, what);
  const bytes = readBytes(path, what);
  let objects: Record<string, unknown>[];
  try {
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    objects = await parquetReadObjects({ file });
  } catch (err) {
    throw new UsageError(`${path}: not a Parquet file podbench can read: ${messageOf(err)}`);
  }
  return objects.map((value, i) => ({ where: `row ${i + 1}`, value: plainValue(value) as Record<string, unknown> }));
}

function jsonlRows(path: string, text: string): Row[] {
  const rows: Row[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new UsageError(`${path}: line ${i + 1}: not valid JSON`);
    }
    if (!isPlainObject(value)) throw new UsageError(`${path}: line ${i + 1}: expected a JSON object`);
    rows.push({ where: `line ${i + 1}`, value });
  }
  return rows;
}

function jsonRows(path: string, text: string): Row[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${path}: not valid JSON (${messageOf(err)}); one object per line belongs in a .jsonl file`);
  }
  if (!Array.isArray(value)) throw new UsageError(`${path}: expected a JSON array of objects`);
  return value.map((item, i) => {
    if (!isPlainObject(item)) throw new UsageError(`${path}: item ${i + 1}: expected a JSON object`);
    return { where: `item ${i + 1}`, value: item };
  });
}

function csvRows(path: string, text: string): Row[] {
  let records: Record<string, string>[];
  try {
    records = parseCsv(text, { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
  } catch (err) {
    throw new UsageError(`${path}: not a CSV file podbench can read: ${messageOf(err)}`);
  }
  // Line 1 is the header.
  return records.map((value, i) => ({ where: `row ${i + 2}`, value }));
}

/** Parquet INT64 columns arrive as BigInt: plain numbers from here on. */
function plainValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(plainValue);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = plainValue(item);
    return out;
  }
  return value;
}
