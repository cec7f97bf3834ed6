import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestRecord } from '../../src/core/record.js';
import type { RunMeta, SummaryFile } from '../../src/core/summary.js';

export function readRecords(runDir: string): RequestRecord[] {
  return readFileSync(join(runDir, 'results.ndjson'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RequestRecord);
}

export function readSummary(runDir: string): SummaryFile {
  return JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as SummaryFile;
}

export function readMeta(runDir: string): RunMeta {
  return JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as RunMeta;
}

export function csvRows(runDir: string, file: string): string[] {
  return readFileSync(join(runDir, file), 'utf8').trimEnd().split('\n');
}

/** A CSV file's rows as header → cell text (RFC 4180: quoted cells may hold commas, quotes and newlines). */
export function readCsv(runDir: string, file: string): { header: string[]; rows: Array<Record<string, string>> } {
  const text = readFileSync(join(runDir, file), 'utf8');
  const records: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      records.push(row);
      row = [];
      cell = '';
    } else if (ch !== '\r') cell += ch;
  }
  if (cell !== '' || row.length > 0) records.push([...row, cell]);
  const [header = [], ...body] = records;
  return { header, rows: body.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? '']))) };
}
