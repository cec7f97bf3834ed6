// Lines are cut from the file's blocks: whatever the block size, every line is read once,
// whole, and the skipped ones are reported with their line numbers.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ReadLimits, type ReadWarnings, readNdjson } from './read-ndjson.js';

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'podbench-ndjson-')), 'lines.ndjson');
  writeFileSync(path, text);
  return path;
}

async function read(path: string, limits: ReadLimits = {}): Promise<{ values: unknown[]; warnings: ReadWarnings }> {
  const warnings: ReadWarnings = { skipped: [] };
  const values: unknown[] = [];
  for await (const value of readNdjson<unknown>(path, warnings, undefined, limits)) values.push(value);
  return { values, warnings };
}

const LONG = { text: 'x'.repeat(3000) };
const LINES = [
  '{"a":1}',
  '{"b":"crlf"}\r',
  '',
  '{"c":"é漢字"}',
  '{not json',
  '42',
  JSON.stringify(LONG),
  '  {"d":4}  ',
  '{"e":5}',
  '{"torn":',
];

describe('readNdjson', () => {
  it('reads every line once whatever the block size: long, CRLF, blank, multibyte, damaged, torn last', async () => {
    const path = file(LINES.join('\n'));
    const expected = {
      values: [{ a: 1 }, { b: 'crlf' }, { c: 'é漢字' }, LONG, { d: 4 }, { e: 5 }],
      warnings: {
        skipped: [
          {
            line: 5,
            reason: 'not valid JSON: the file was edited or damaged here; this line is left out of every report',
          },
          { line: 6, reason: 'not a JSON object' },
          { line: 10, reason: 'not valid JSON: a torn last line (the run was killed while writing it)' },
        ],
        skippedCount: 3,
      },
    };
    for (const blockBytes of [1, 2, 3, 7, 64, 1000, 1 << 20]) {
      expect(await read(path, { blockBytes }), `blocks of ${blockBytes} bytes`).toEqual(expected);
    }
  });

  it('reads the last line without a newline, and nothing after a final newline', async () => {
    for (const blockBytes of [1, 5, 1 << 20]) {
      expect((await read(file('{"a":1}\n{"b":2}'), { blockBytes })).values).toEqual([{ a: 1 }, { b: 2 }]);
      expect(await read(file('{"a":1}\n{"b":2}\n'), { blockBytes })).toEqual({
        values: [{ a: 1 }, { b: 2 }],
        warnings: { skipped: [] },
      });
    }
  });

  it('skips a line past the longest kept without holding it, and goes on after it', async () => {
    const path = file(['{"a":1}', JSON.stringify(LONG), '{"b":2}', JSON.stringify(LONG)].join('\n'));
    for (const blockBytes of [16, 100]) {
      const { values, warnings } = await read(path, { blockBytes, maxLineBytes: 500 });
      expect(values, `blocks of ${blockBytes} bytes`).toEqual([{ a: 1 }, { b: 2 }]);
      expect(warnings.skipped.map((s) => s.line)).toEqual([2, 4]);
      expect(warnings.skipped[0]?.reason).toMatch(/^longer than 256 MB/);
    }
  });
});
