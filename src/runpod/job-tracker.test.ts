import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HttpClient, HttpResult } from './http-client.js';
import { createJobTracker, createNoCancelTracker, leftRunningText } from './job-tracker.js';

/** An endpoint whose /cancel answers come from `answer` (per job id), recording every call. */
function fakeEndpoint(answer: (jobId: string) => Promise<HttpResult>) {
  const cancels: string[] = [];
  const http = {
    call: (_method: string, url: string) => {
      const jobId = decodeURIComponent(url.slice(url.lastIndexOf('/') + 1));
      cancels.push(jobId);
      return answer(jobId);
    },
  } as unknown as HttpClient;
  return { http, cancels };
}

const ok: HttpResult = { kind: 'response', status: 200, text: '{}', receivedMs: 0 };

afterEach(() => {
  vi.useRealTimers();
});

describe('createJobTracker: the jobs a second Ctrl-C would leave running', () => {
  it('lists open jobs, drops settled ones, and keeps a job until its cancel has answered', async () => {
    const held = new Map<string, (result: HttpResult) => void>();
    const { http, cancels } = fakeEndpoint((jobId) => new Promise((resolve) => held.set(jobId, resolve)));
    const jobs = createJobTracker('http://127.0.0.1:1', http);
    jobs.submitted('a');
    jobs.submitted('b');
    jobs.submitted('c');
    jobs.settled('b');
    expect(jobs.unconfirmed().sort()).toEqual(['a', 'c']);
    const all = jobs.cancelAll();
    // Cancels sent, not answered: still unconfirmed.
    await vi.waitFor(() => expect(cancels.sort()).toEqual(['a', 'c']));
    expect(jobs.unconfirmed().sort()).toEqual(['a', 'c']);
    held.get('a')?.(ok);
    await vi.waitFor(() => expect(jobs.unconfirmed()).toEqual(['c']));
    // A job whose id arrives after the interrupt is cancelled at once, and counted until answered.
    jobs.submitted('d');
    expect(jobs.unconfirmed().sort()).toEqual(['c', 'd']);
    await vi.waitFor(() => expect(held.has('d')).toBe(true));
    held.get('c')?.(ok);
    held.get('d')?.(ok);
    await all;
    await jobs.drain();
    expect(jobs.unconfirmed()).toEqual([]);
  });

  it('keeps a job whose cancel failed after its retries', async () => {
    vi.useFakeTimers();
    const { http, cancels } = fakeEndpoint(() =>
      Promise.resolve({ kind: 'response', status: 503, text: 'busy', receivedMs: 0 }),
    );
    const jobs = createJobTracker('http://127.0.0.1:1', http);
    jobs.submitted('x');
    const all = jobs.cancelAll();
    await vi.runAllTimersAsync();
    await all;
    expect(cancels).toEqual(['x', 'x', 'x']);
    expect(jobs.cancelsFailed).toBe(1);
    expect(jobs.unconfirmed()).toEqual(['x']);
  });

  it('has nothing to confirm where nothing can be cancelled', () => {
    const jobs = createNoCancelTracker();
    jobs.submitted('a');
    expect(jobs.unconfirmed()).toEqual([]);
  });
});

describe('leftRunningText', () => {
  it('says nothing when nothing is left, else the count and at most ten ids', () => {
    expect(leftRunningText([])).toBeUndefined();
    expect(leftRunningText(['j1'])).toBe(
      '1 job podbench submitted was not confirmed cancelled and may run on the endpoint (and cost) until it ends or reaches policy.ttl: j1 (POST /cancel/{id} stops one)',
    );
    const many = Array.from({ length: 12 }, (_, i) => `j${i}`);
    const text = leftRunningText(many) as string;
    expect(text).toMatch(/^12 jobs podbench submitted were not confirmed cancelled/);
    expect(text).toContain('j0, j1, j2, j3, j4, j5, j6, j7, j8, j9 and 2 more');
  });
});
