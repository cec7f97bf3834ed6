// `podbench run … | head -1`: the reader of podbench's output goes away before podbench has
// written it all. That is no failure of the run: it finishes, writes its files and baseline,
// and exits with the code it would have had, without a stack trace.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, tempDir } from '../support/cli.js';

function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, RUNPOD_API_KEY: 'rpa_closed_output_test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Read nothing and close our end at once, as `head` does once it has its line.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a reader that closes podbench output early', () => {
  it('leaves the run, its files, its baseline and its exit code as they would be', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const out = join(dir, 'run');
    const baseline = join(dir, 'baseline.json');
    const { code, stderr } = await runWithClosedStdout([
      'run',
      'quick',
      '--requests',
      '3',
      '--out',
      out,
      '--threshold',
      'errorRate < 1%',
      '--save-baseline',
      baseline,
    ]);
    expect(stderr).not.toMatch(/EPIPE|^\s+at /m);
    expect(code, stderr).toBe(0);
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
    expect(existsSync(baseline)).toBe(true);
  });
});
