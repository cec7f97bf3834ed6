// The endpoint's job counters: what /health reports (completed, failed, inProgress,
// inQueue, retried, since start; the platform's counting window is undocumented) and what
// the scaler sees (the same queue and running counts without policy.lowPriority jobs).
import type { Job, JobStatus } from '../types.js';

export interface HealthJobs {
  completed: number;
  failed: number;
  inProgress: number;
  inQueue: number;
  retried: number;
}

export class JobCounts {
  completed = 0;
  /** FAILED and TIMED_OUT. */
  failed = 0;
  retried = 0;
  inQueue = 0;
  inProgress = 0;
  /** Queued jobs that count for scaling. */
  scalingQueued = 0;
  /** Running jobs that count for scaling. */
  scalingInProgress = 0;

  queued(job: Job): void {
    this.inQueue++;
    if (!job.lowPriority) this.scalingQueued++;
  }

  started(job: Job): void {
    this.inQueue--;
    this.inProgress++;
    if (!job.lowPriority) {
      this.scalingQueued--;
      this.scalingInProgress++;
    }
  }

  /** The job left the queue or its worker (`was` its status until now); `ended` is its terminal status, if any. */
  left(job: Job, was: JobStatus, ended: JobStatus | undefined): void {
    if (was === 'IN_QUEUE') {
      this.inQueue--;
      if (!job.lowPriority) this.scalingQueued--;
    } else if (was === 'IN_PROGRESS') {
      this.inProgress--;
      if (!job.lowPriority) this.scalingInProgress--;
    }
    if (ended === 'COMPLETED') this.completed++;
    else if (ended === 'FAILED' || ended === 'TIMED_OUT') this.failed++;
  }

  health(): HealthJobs {
    return {
      completed: this.completed,
      failed: this.failed,
      inProgress: this.inProgress,
      inQueue: this.inQueue,
      retried: this.retried,
    };
  }
}
