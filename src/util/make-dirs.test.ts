import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirs } from './make-dirs.js';

describe('makeDirs', () => {
  it('creates the missing folders, and accepts one that exists', () => {
    const root = mkdtempSync(join(tmpdir(), 'podbench-mkdirs-'));
    makeDirs(join(root, 'a', 'b', 'c'));
    expect(existsSync(join(root, 'a', 'b', 'c'))).toBe(true);
    makeDirs(join(root, 'a', 'b'));
  });

  it('fails with the error of the level it cannot make', () => {
    const root = mkdtempSync(join(tmpdir(), 'podbench-mkdirs-'));
    writeFileSync(join(root, 'file'), '');
    expect(() => makeDirs(join(root, 'file', 'x', 'y'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });

  // Node's recursive mkdir loops forever here; this would time out instead of failing.
  it.skipIf(process.platform !== 'linux')('returns an error under /proc instead of looping', () => {
    expect(() => makeDirs('/proc/podbench-no-such/x')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});
