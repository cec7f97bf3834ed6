// The endpoint's FIFO queue of IN_QUEUE jobs. Jobs leave the middle of the queue when they
// are cancelled, purged or expire; rather than search and splice, the queue keeps them and
// skips any entry whose job is no longer IN_QUEUE (lazy deletion), compacting as it goes.
import type { Job } from '../types.js';

export class JobQueue {
  private items: Job[] = [];
  private head = 0;

  push(job: Job): void {
    this.items.push(job);
  }

  /** The oldest job still IN_QUEUE, without taking it. */
  peek(): Job | undefined {
    this.skipStale();
    return this.items[this.head];
  }

  shift(): Job | undefined {
    this.skipStale();
    const job = this.items[this.head];
    if (job === undefined) return undefined;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return job;
  }

  /** The oldest queued job that counts for scaling (not policy.lowPriority). */
  oldestScaling(): Job | undefined {
    for (let i = this.head; i < this.items.length; i++) {
      const job = this.items[i] as Job;
      if (job.status === 'IN_QUEUE' && !job.lowPriority) return job;
    }
    return undefined;
  }

  /** Every job still IN_QUEUE, oldest first. */
  queued(): Job[] {
    return this.items.slice(this.head).filter((job) => job.status === 'IN_QUEUE');
  }

  private skipStale(): void {
    while (this.head < this.items.length && (this.items[this.head] as Job).status !== 'IN_QUEUE') this.head++;
  }
}
