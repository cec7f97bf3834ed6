// The official JS client (runpod-sdk 1.1.2) against `podbench emulate` exactly as it starts
// with no settings: workers scaled to zero (a cold start first), Runpod's rate limits on,
// and the emulated network's round trip. The client's stream() polls /stream with no pause
// of its own; on loopback without a network it would pass /stream's 2,000 requests per 10 s
// within a second and get HTTP 429, where against api.runpod.ai the round trip paces it.
import { spawn, type ChildProcess } from 'node:child_process';
import runpodSdk from 'runpod-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../support/cli.js';

describe('runpod-sdk against podbench emulate with its defaults', () => {
  let child: ChildProcess;
  let url: string;
  beforeAll(async () => {
    child = spawn(process.execPath, [BIN, 'emulate', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('podbench emulate printed no URL')), 30_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const line = /listening on (\S+)/.exec(stdout);
        if (line) {
          clearTimeout(timer);
          resolve(line[1] as string);
        }
      });
    });
  }, 40_000);
  afterAll(async () => {
    const exit = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exit;
  });

  const endpoint = () => {
    const ep = runpodSdk('any-key', { baseUrl: url.replace(/\/local$/, '') }).endpoint('local');
    if (ep === null) throw new Error('runpod-sdk gave no endpoint');
    return ep;
  };

  it('run, stream (through the cold start), status and runSync all succeed', async () => {
    const ep = endpoint();
    const run = await ep.run({
      input: { prompt: 'Tell me a story.', stream: true, sampling_params: { max_tokens: 40 } },
    });
    expect(run).toEqual({ id: expect.stringMatching(/-u1$/), status: 'IN_QUEUE' });
    const received: any[] = [];
    for await (const chunk of ep.stream(run.id)) received.push(chunk.output);
    const status: any = await ep.status(run.id);
    expect(status).toMatchObject({ status: 'COMPLETED', completed: true, succeeded: true });
    // Every partial once, in order: the stream adds up to the job's output.
    expect(received).toEqual(status.output);
    expect(received.reduce((n, item) => n + item.choices[0].tokens.length, 0)).toBe(status.output.at(-1).usage.output);
    // The cold start came first: the stream outlived it without a 429.
    expect(status.delayTime).toBeGreaterThan(1000);

    const sync: any = await ep.runSync({ input: { prompt: 'hi', sampling_params: { max_tokens: 5 } } });
    expect(sync).toMatchObject({ status: 'COMPLETED', succeeded: true });
    expect(sync.output[0].usage.output).toBeLessThanOrEqual(5);
  }, 120_000);
});
