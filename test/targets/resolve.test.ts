// What the URL alone says about a target, and the calls each kind takes (pure: no server).
import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../../src/runpod/target.js';
import { targetCalls } from '../../src/runpod/targets/calls.js';
import { keyEnvFor } from '../../src/runner/target-setup.js';
import { parseScenario } from '../../src/scenario/load.js';

const at = (target: Record<string, unknown> | undefined) => resolveTarget(target ? { target } : {}, 's.yaml');

describe('resolveTarget', () => {
  it('tells Runpod, a model server and the unknown apart by URL', () => {
    expect(at({ endpointId: 'abc' })).toMatchObject({
      api: 'runpod',
      endpointUrl: 'https://api.runpod.ai/v2/abc',
      endpointId: 'abc',
      apiKeyEnv: 'RUNPOD_API_KEY',
    });
    expect(at({ endpoint: 'http://127.0.0.1:9000/v2/local/' })).toMatchObject({
      api: 'runpod',
      endpointUrl: 'http://127.0.0.1:9000/v2/local',
    });
    // The endpoint's own OpenAI route names the endpoint.
    expect(at({ endpoint: 'https://api.runpod.ai/v2/abc/openai/v1' })).toMatchObject({
      api: 'runpod',
      endpointUrl: 'https://api.runpod.ai/v2/abc',
    });
    expect(at({ endpoint: 'http://10.0.0.5:8000/v1' })).toMatchObject({
      api: 'openai',
      endpointUrl: 'http://10.0.0.5:8000/v1',
      apiKeyEnv: undefined,
    });
    expect(at({ endpoint: 'http://127.0.0.1:8000' })).toMatchObject({
      api: 'detect',
      endpointUrl: 'http://127.0.0.1:8000',
    });
  });

  it('follows target.kind, and the emulator stands in where no URL is given', () => {
    expect(at(undefined)).toEqual({ kind: 'emulator', api: 'runpod' });
    expect(at({ kind: 'openai' })).toEqual({ kind: 'emulator', api: 'openai' });
    expect(at({ kind: 'runpod-local', endpoint: 'http://127.0.0.1:8000/' })).toMatchObject({
      api: 'runpod-local',
      endpointUrl: 'http://127.0.0.1:8000',
      apiKeyEnv: undefined,
    });
    // A bare origin given as a model server is its /v1.
    expect(at({ kind: 'openai', endpoint: 'http://host:8000' })).toMatchObject({ endpointUrl: 'http://host:8000/v1' });
    // The model server beside the endpoint, for variants of kind openai.
    expect(
      at({ kind: 'openai', endpoint: 'https://api.runpod.ai/v2/abc', modelServer: 'http://host:8000/v1' }),
    ).toMatchObject({ api: 'openai', endpointUrl: 'http://host:8000/v1' });
  });

  it('refuses what cannot work, naming the way out', () => {
    expect(() => at({ kind: 'runpod-local' })).toThrow(/needs the local test server's URL/);
    expect(() => at({ kind: 'openai', endpoint: 'https://api.runpod.ai/v2/abc' })).toThrow(/--model-server/);
    expect(() => at({ kind: 'openai', endpointId: 'abc' })).toThrow(/--model-server/);
  });

  it('sends a key only where one belongs', () => {
    expect(keyEnvFor('runpod', undefined)).toBe('RUNPOD_API_KEY');
    expect(keyEnvFor('openai', undefined)).toBeUndefined();
    expect(keyEnvFor('openai', 'OPENAI_API_KEY')).toBe('OPENAI_API_KEY');
    expect(keyEnvFor('runpod-local', 'X')).toBeUndefined();
  });
});

describe('targetCalls', () => {
  it("Runpod's queue: GET polls, ?wait where asked", () => {
    const calls = targetCalls('runpod', 'https://api.runpod.ai/v2/abc');
    expect(calls.submitUrl('/runsync?wait=90000')).toBe('https://api.runpod.ai/v2/abc/runsync?wait=90000');
    expect(calls.status('j 1', 0)).toEqual({ method: 'GET', url: 'https://api.runpod.ai/v2/abc/status/j%201' });
    expect(calls.status('j', 5000).url).toBe('https://api.runpod.ai/v2/abc/status-sync/j?wait=5000');
    expect(calls.stream('j', 0)).toEqual({ method: 'GET', url: 'https://api.runpod.ai/v2/abc/stream/j' });
    expect(calls.runsOnFollow).toBe(false);
  });

  it('the local test server: POST follows, no ?wait, the job run by the follow', () => {
    const calls = targetCalls('runpod-local', 'http://127.0.0.1:8000');
    expect(calls.submitUrl('/runsync?wait=90000')).toBe('http://127.0.0.1:8000/runsync');
    expect(calls.status('test-1', 5000)).toEqual({ method: 'POST', url: 'http://127.0.0.1:8000/status/test-1' });
    expect(calls.stream('test-1', 5000)).toEqual({ method: 'POST', url: 'http://127.0.0.1:8000/stream/test-1' });
    expect(calls.runsOnFollow).toBe(true);
  });

  it('a model server: its own routes under /v1', () => {
    const calls = targetCalls('openai', 'http://host:8000/v1');
    expect(calls.submitUrl('/openai/v1/chat/completions')).toBe('http://host:8000/v1/chat/completions');
    expect(() => calls.status('x', 0)).toThrow();
  });
});

describe('matrix.variant', () => {
  it('names variants outright, each setting several fields', () => {
    const loaded = parseScenario(
      `name: t
load: { requests: 2 }
matrix:
  variant:
    direct: { target.kind: openai, mode: openai-stream }
    runsync: { mode: sync }
  load.concurrency: [1, 2]
`,
      't.yaml',
    );
    expect(loaded.variants.map((v) => v.name)).toEqual([
      'direct concurrency=1',
      'direct concurrency=2',
      'runsync concurrency=1',
      'runsync concurrency=2',
    ]);
    const direct = loaded.variants[0]!;
    expect(direct.params).toEqual({ 'target.kind': 'openai', mode: 'openai-stream', 'load.concurrency': 1 });
    expect(direct.scenario.target?.kind).toBe('openai');
    expect(loaded.variants[2]!.scenario.mode).toBe('sync');
  });

  it('refuses a choice that is not a map of fields', () => {
    expect(() => parseScenario('name: t\nmatrix:\n  variant:\n    a: sync\n', 't.yaml')).toThrow(
      /matrix\.variant\.a: expected a map of field path to value/,
    );
  });
});
