import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import { checkOutputFile } from './output-file.js';

describe('checkOutputFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podbench-out-'));
  const file = join(dir, 'file');
  writeFileSync(file, 'x');

  it('accepts a new or existing file in an existing folder', () => {
    expect(() => checkOutputFile('--junit', join(dir, 'new.xml'))).not.toThrow();
    expect(() => checkOutputFile('--junit', file)).not.toThrow();
  });

  it('finds a folder it may not write before the run, and leaves no file behind', () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const readOnly = join(dir, 'read-only.json');
    writeFileSync(readOnly, 'keep');
    chmodSync(readOnly, 0o400);
    try {
      // root may write anywhere: there the probe has nothing to find, and must change nothing.
      const root = process.getuid?.() === 0;
      if (root) expect(() => checkOutputFile('--save-baseline', join(locked, 'b.json'))).not.toThrow();
      else {
        expect(() => checkOutputFile('--save-baseline', join(locked, 'b.json'))).toThrow(
          /--save-baseline .*locked\/b\.json: cannot write it: permission denied \(EACCES\)/,
        );
        expect(() => checkOutputFile('--junit', readOnly)).toThrow(/cannot write it: permission denied/);
      }
      expect(readdirSync(locked)).toEqual([]);
      expect(readFileSync(readOnly, 'utf8')).toBe('keep');
    } finally {
      chmodSync(locked, 0o700);
      chmodSync(readOnly, 0o600);
    }
  });

  it.skipIf(!existsSync('/sys/kernel'))('finds /sys, where even root cannot create a file', () => {
    expect(() => checkOutputFile('--save-baseline', '/sys/kernel/podbench-b.json')).toThrow(
      /--save-baseline \/sys\/kernel\/podbench-b\.json: cannot write it: /,
    );
  });

  it.each([
    ['a missing folder', join(dir, 'nope', 'b.json'), /--save-baseline .*: the folder .*nope does not exist/],
    ['a path under a file', join(file, 'x.xml'), /--save-baseline .*: .*file is a file, not a folder/],
    ['a path two levels under a file', join(file, 'sub', 'x.xml'), /--save-baseline .*: a part of .*sub is a file/],
    ['a folder', dir, /--save-baseline .*: is a folder; name a file in it/],
  ])('refuses %s', (_label, path, message) => {
    expect(() => checkOutputFile('--save-baseline', path)).toThrow(UsageError);
    expect(() => checkOutputFile('--save-baseline', path)).toThrow(message);
  });
});
