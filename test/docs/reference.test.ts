// The scenario and emulator references in docs/ are generated from the zod schemas
// (tools/reference.ts). A schema change without `npm run docs` leaves a committed page stale:
// this test fails and says which page and the command that refreshes it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referencePages } from '../../tools/reference.js';
import { ROOT } from '../support/cli.js';

describe('generated reference pages', () => {
  it.each(referencePages().map((p) => [p.path, p.text]))('%s is up to date with its schema', (path, text) => {
    const committed = readFileSync(join(ROOT, path), 'utf8');
    expect(committed === text, `${path} is stale: run npm run docs and commit it`).toBe(true);
  });

  it('gives every field a description, and every defaulted field its default', () => {
    for (const { path, text } of referencePages()) {
      const rows = text.split('\n').filter((line) => line.startsWith('| `'));
      expect(rows.length, path).toBeGreaterThan(40);
      const undescribed = rows.filter((row) => /\|\s*\|$/.test(row) && !/rateLimits\.routes\.\w+`/.test(row));
      expect(undescribed, path).toEqual([]);
    }
    const scenario = referencePages()[0]?.text ?? '';
    expect(scenario).toContain('| `polling.interval` | duration | `250ms` |');
    expect(referencePages()[1]?.text).toContain('| `generation.stepMs` | number ≥ 0 | `22` |');
  });
});
