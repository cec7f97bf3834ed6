// The golden-file helper itself: only UPDATE_GOLDEN=1 writes, and a missing file fails.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './cli.js';
import { expectGolden } from './golden.js';

describe('expectGolden', () => {
  it('compares, and leaves the file alone, for any UPDATE_GOLDEN but 1', () => {
    for (const value of [undefined, '0', 'false', 'yes', '']) {
      const dir = tempDir();
      writeFileSync(join(dir, 'a.txt'), 'committed\n');
      const env = value === undefined ? {} : { UPDATE_GOLDEN: value };
      expect(() => expectGolden(dir, 'a.txt', 'today\n', 'test/x', env), `UPDATE_GOLDEN=${value}`).toThrow(
        /a\.txt differs from its golden file/,
      );
      expect(readFileSync(join(dir, 'a.txt'), 'utf8'), `UPDATE_GOLDEN=${value}`).toBe('committed\n');
      expect(() => expectGolden(dir, 'a.txt', 'committed\n', 'test/x', env)).not.toThrow();
    }
  });

  it('fails on a missing file, saying how to create it, and does not create it', () => {
    const dir = tempDir();
    expect(() => expectGolden(dir, 'b.json', '{}\n', 'test/report-html', {})).toThrow(
      `golden file ${join(dir, 'b.json')} is missing; create it with UPDATE_GOLDEN=1 npx vitest run test/report-html, review it and commit it`,
    );
    expect(existsSync(join(dir, 'b.json'))).toBe(false);
    // The same outside CI and inside it.
    expect(() => expectGolden(dir, 'b.json', '{}\n', 'test/report-html', { CI: 'true' })).toThrow(/is missing/);
    expect(existsSync(join(dir, 'b.json'))).toBe(false);
  });

  it('writes the file with UPDATE_GOLDEN=1, creating its folder', () => {
    const dir = join(tempDir(), 'golden');
    expectGolden(dir, 'c.txt', 'new\n', 'test/x', { UPDATE_GOLDEN: '1' });
    expect(readFileSync(join(dir, 'c.txt'), 'utf8')).toBe('new\n');
    expectGolden(dir, 'c.txt', 'newer\n', 'test/x', { UPDATE_GOLDEN: '1' });
    expect(readFileSync(join(dir, 'c.txt'), 'utf8')).toBe('newer\n');
  });
});
