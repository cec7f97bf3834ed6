// k6's log through a FIFO: everything a writer process wrote is read, in order, before close()
// resolves, and close() resolves when no writer ever came (k6 failed before opening its log).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openLogFifo } from '../../src/engines/k6/log-fifo.js';
import { tempDir } from '../support/cli.js';

const hasMkfifo = process.platform !== 'win32' && spawnSync('sh', ['-c', 'command -v mkfifo']).status === 0;

describe.skipIf(!hasMkfifo)('k6 log FIFO', () => {
  it("reads all a writer process wrote (more than the pipe's buffer), then ends", async () => {
    const fifo = openLogFifo(tempDir());
    if (!fifo) throw new Error('no FIFO');
    const chunks: Buffer[] = [];
    fifo.stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    // 200,000 numbered lines (about 1.3 MB): far more than a pipe holds, so the writer waits for the reader.
    const writer = spawn('sh', ['-c', `seq 1 200000 > "${fifo.path}"`], { stdio: 'ignore' });
    expect(await new Promise((resolve) => writer.on('close', resolve))).toBe(0);
    await fifo.close();
    const lines = Buffer.concat(chunks).toString().trimEnd().split('\n');
    expect(lines).toHaveLength(200_000);
    expect(lines[0]).toBe('1');
    expect(lines.at(-1)).toBe('200000');
    fifo.destroy();
  });

  it('ends when no writer ever opened it', async () => {
    const dir = tempDir();
    const fifo = openLogFifo(dir);
    if (!fifo) throw new Error('no FIFO');
    expect(existsSync(fifo.path)).toBe(true);
    let read = 0;
    fifo.stream.on('data', (chunk: Buffer) => (read += chunk.length));
    await fifo.close();
    expect(read).toBe(0);
    fifo.destroy();
  });
});
