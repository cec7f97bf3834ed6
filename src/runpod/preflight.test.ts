import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HttpClient, HttpResult } from './http-client.js';
import { resolveModel } from './preflight.js';

/** A client whose /models answers fail `failures` times (a 503, a reset connection in turn), then list one model. */
function flaky(failures: number): { http: HttpClient; calls: () => number } {
  let calls = 0;
  const http = {
    call: async (): Promise<HttpResult> => {
      calls += 1;
      if (calls <= failures)
        return calls % 2 === 1
          ? { kind: 'response', status: 503, text: 'busy', receivedMs: 0 }
          : { kind: 'network_error', message: 'ECONNRESET' };
      return { kind: 'response', status: 200, text: '{"data":[{"id":"m-1"}]}', receivedMs: 0 };
    },
  } as unknown as HttpClient;
  return { http, calls: () => calls };
}

describe('resolveModel', () => {
  // The pauses between tries (7.75 s in all) pass on a fake clock.
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const settled = async <T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> => {
    const outcome = Promise.allSettled([promise]);
    await vi.runAllTimersAsync();
    return (await outcome)[0] as PromiseSettledResult<T>;
  };

  it('asks again through five transient failures: a flaky endpoint does not end the run before it starts', async () => {
    const { http, calls } = flaky(5);
    expect(await settled(resolveModel(http, 'http://127.0.0.1:1/openai/v1/models', undefined))).toEqual({
      status: 'fulfilled',
      value: 'm-1',
    });
    expect(calls()).toBe(6);
  });

  it('gives up after six tries, naming the fix', async () => {
    const { http, calls } = flaky(6);
    const result = await settled(resolveModel(http, 'http://127.0.0.1:1/openai/v1/models', undefined));
    expect(result.status).toBe('rejected');
    expect(String((result as PromiseRejectedResult).reason)).toMatch(
      /could not learn the model name .*\(network_error\); set input\.model/,
    );
    expect(calls()).toBe(6);
  });

  it('asks nothing when the model is given', async () => {
    const { http, calls } = flaky(0);
    expect(await resolveModel(http, 'http://127.0.0.1:1/openai/v1/models', 'given')).toBe('given');
    expect(calls()).toBe(0);
  });
});
