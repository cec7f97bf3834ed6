// A real OpenAI-compatible server other than the emulator: llama-cpp-python's
// (python -m llama_cpp.server) serving stories260K.gguf. podbench tells it from its URL
// (a bare origin: it asks /v1/models), takes the model from there, and measures both OpenAI
// modes. That server sends no usage in a stream, so streamed counts are podbench's own.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findModelPath } from '../../src/emulator/llama/model-path.js';
import { runCli, tempDir, writeScenario } from '../support/cli.js';
import { readMeta, readRecords } from '../support/run-files.js';
import { describePython, freePort, pythonMissing, startPythonServer, type PythonServer } from '../support/python.js';

const MODEL = findModelPath(undefined);
const MISSING =
  MODEL === undefined ? 'no stories260K.gguf found (set PODBENCH_LLAMA_MODEL)' : pythonMissing('llama_cpp.server');

const SCENARIO = `name: llama-cpp
input: { format: prompt, synthetic: { promptTokens: 12 } }
sampling_params: { max_tokens: 12, temperature: 0.8 }
load: { concurrency: 1, requests: 3 }
`;

describePython("llama-cpp-python's OpenAI-compatible server", MISSING, () => {
  let server: PythonServer;
  beforeAll(async () => {
    const port = await freePort();
    server = await startPythonServer(
      ['-m', 'llama_cpp.server', '--model', MODEL as string, '--host', '127.0.0.1', '--port', String(port)],
      `http://127.0.0.1:${port}`,
      '/v1/models',
    );
  }, 150_000);
  afterAll(() => server?.stop());

  it.each(['openai', 'openai-stream'])(
    '%s: every request ok, the model named by /v1/models',
    async (mode) => {
      const out = join(tempDir(), 'run');
      const result = await runCli(
        ['run', writeScenario(SCENARIO), '--endpoint', server.url, '--mode', mode, '--out', out, '--quiet'],
        {
          timeoutMs: 120_000,
        },
      );
      expect(result.code, `${result.stderr}\n${server.output().slice(-2000)}`).toBe(0);
      expect(result.stderr).toMatch(/is a bare OpenAI-compatible server/);
      expect(readMeta(out).target.api).toBe('openai');
      const records = readRecords(out);
      expect(records).toHaveLength(3);
      for (const r of records) {
        expect(r.outcome).toBe('ok');
        expect(r.outputTokens).toBeGreaterThan(0);
        expect(r.outputTokens).toBeLessThanOrEqual(12);
        expect(r.responseId).toMatch(/^cmpl-/);
        if (mode === 'openai-stream') {
          expect(r.firstTokenMs).toBeGreaterThan(r.sentMs as number);
          expect(r.tokenSource).toBe('estimated');
        } else expect(r.tokenSource).toBe('usage');
      }
    },
    150_000,
  );
});
