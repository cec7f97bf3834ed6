// Simulations of candidate settings, as many at once as the machine has cores: a pool of
// worker threads (sim-worker.ts), each holding the traffic once and answering one
// (settings, seed) at a time with that simulation's figures (answers/what-if/evaluate.ts).
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { ClientOverheads } from '../core/calibration.js';
import { RunError } from '../core/errors.js';
import type { Mode } from '../core/record.js';
import type { SimTraffic } from '../core/simulation.js';
import type { WhatIfPrice } from '../core/what-if.js';
import type { SeedFigures } from '../answers/what-if/evaluate.js';
import { startModuleWorker } from '../util/module-worker.js';

export interface SimWorkerData {
  traffic: SimTraffic;
  mode: Mode;
  overheads: ClientOverheads;
  slo: string[];
  price: WhatIfPrice;
}

export type SimJobMessage = { id: number; settings: Record<string, unknown>; overheads?: ClientOverheads };
export type SimAnswer = { id: number; figures: SeedFigures } | { id: number; error: string };

export interface SimPool {
  /** One simulation of `settings` (its seed included); `overheads` replaces the pool's. */
  run(settings: Record<string, unknown>, overheads?: ClientOverheads): Promise<SeedFigures>;
  close(): Promise<void>;
  readonly size: number;
}

export function defaultPoolSize(): number {
  return Math.max(1, availableParallelism());
}

export function createSimPool(data: SimWorkerData, size = defaultPoolSize()): SimPool {
  const workers: Worker[] = [];
  const idle: Worker[] = [];
  const queue: Array<{ message: SimJobMessage; resolve: (f: SeedFigures) => void; reject: (e: Error) => void }> = [];
  const pending = new Map<number, { resolve: (f: SeedFigures) => void; reject: (e: Error) => void; worker: Worker }>();
  let nextId = 0;
  let closed = false;
  const pump = (): void => {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop() as Worker;
      const job = queue.shift() as (typeof queue)[number];
      pending.set(job.message.id, { resolve: job.resolve, reject: job.reject, worker });
      worker.postMessage(job.message);
    }
  };
  for (let i = 0; i < size; i++) {
    const worker = startModuleWorker(import.meta.url, './sim-worker.js', { ...data });
    worker.on('message', (answer: SimAnswer) => {
      const waiting = pending.get(answer.id);
      if (!waiting) return;
      pending.delete(answer.id);
      if ('error' in answer) waiting.reject(new RunError(`what-if: a simulation failed: ${answer.error}`));
      else waiting.resolve(answer.figures);
      idle.push(worker);
      pump();
    });
    worker.on('error', (err) => {
      for (const [id, waiting] of pending)
        if (waiting.worker === worker) {
          pending.delete(id);
          waiting.reject(new RunError(`what-if: a simulation thread failed: ${err.message}`));
        }
    });
    workers.push(worker);
    idle.push(worker);
  }
  return {
    size,
    run(settings, overheads) {
      if (closed) return Promise.reject(new RunError('what-if: the simulation pool is closed'));
      return new Promise<SeedFigures>((resolve, reject) => {
        const message: SimJobMessage = { id: nextId++, settings, ...(overheads ? { overheads } : {}) };
        queue.push({ message, resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
