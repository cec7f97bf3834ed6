// What the emulator remembers of jobs the platform has forgotten (retention or TTL over,
// /status answers 404): their JobTruth, so a harness can still check its measurements.
// Bounded: the oldest entries go first once `capacity` is reached.
import type { JobTruth } from '../types.js';

export class TruthArchive {
  private readonly entries = new Map<string, JobTruth>();
  private readonly capacity: number;

  constructor(capacity = 200_000) {
    this.capacity = capacity;
  }

  get(id: string): JobTruth | undefined {
    return this.entries.get(id);
  }

  keep(truth: JobTruth): void {
    this.entries.set(truth.id, truth);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}
