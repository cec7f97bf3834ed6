import { describe, expect, it } from 'vitest';
import { describeError } from './cli.js';
import { RunError, UsageError } from './core/errors.js';
import { registerSecret } from './util/redact.js';

describe('describeError: every error that ends a command is one line', () => {
  it('gives bad input exit 2, a run that could not complete exit 3', () => {
    expect(describeError(new UsageError('bad flag'))).toEqual({ text: 'podbench: bad flag', code: 2 });
    expect(describeError(new RunError('unreachable'))).toEqual({ text: 'podbench: unreachable', code: 3 });
  });

  it('says a bug is a bug, on one line without its stack, exit 3', () => {
    const bug = new TypeError('cannot read properties of undefined\n  (reading "x")');
    const { text, code } = describeError(bug);
    expect(code).toBe(3);
    expect(text.split('\n')).toHaveLength(1);
    expect(text).toMatch(/^podbench: internal error: cannot read properties of undefined \(reading "x"\) \(a bug/);
  });

  it('words file-system errors, a full disk as a run that could not complete', () => {
    const full = Object.assign(new Error('ENOSPC'), { code: 'ENOSPC', path: '/r/results.ndjson', syscall: 'write' });
    expect(describeError(full)).toEqual({
      text: 'podbench: /r/results.ndjson: cannot write: no space left on the device (ENOSPC)',
      code: 3,
    });
  });

  it('keeps secrets and control sequences out of the line', () => {
    registerSecret('rpa_DESCRIBE_ERROR_KEY');
    const { text } = describeError(new RunError('server said rpa_DESCRIBE_ERROR_KEY \u001b[2J at https://u:p@h/x'));
    expect(text).toBe('podbench: server said [redacted]  at https://[redacted]@h/x');
  });
});
