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
