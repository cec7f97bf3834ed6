import { mkdtempSync, writeFileSync } from 'node:fs';
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
