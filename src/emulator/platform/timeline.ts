// Every deferred action of the emulator (the next decode step of a worker, a cold start
// finishing, an idle timeout, a TTL, a long-poll expiring, a webhook retry...) is an entry
// on one timeline: a binary min-heap on `at` (real epoch ms) driven by a single Node timer.
// One timer instead of one per job keeps 5,000 concurrent jobs cheap, and when the timer
// fires late, everything that fell due is run in time order, so a busy event loop delays
// events but never reorders them.
//
// Entries are plain objects owned by the caller; cancelling one only flags it (lazy
// deletion) and the heap is compacted when flagged entries pile up.
//
// With a ManualClock (a simulation, ../simulate.ts) there is no Node timer and no real
// time: the owner calls runUntil(), and each entry runs with the clock set to its `at`.
import type { TimelineEntry } from '../types.js';
import { epochNowMs } from '../clock.js';

/** A clock only its owner moves: the simulated time, in ms. */
export interface ManualClock {
  nowMs: number;
}

/** What add() takes: an entry of any member of the union, without the fields add() sets. */
export type NewEntry<E> = E extends unknown ? Omit<E, 'cancelled' | 'seq'> : never;

export class Timeline<E extends TimelineEntry> {
  private readonly heap: E[] = [];
  private nextSeq = 0;
  private cancelledCount = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private running = false;
  private closed = false;

  private readonly onDue: (entry: E, nowMs: number) => void;
  private readonly manual: ManualClock | undefined;

  constructor(onDue: (entry: E, nowMs: number) => void, manual?: ManualClock) {
    this.onDue = onDue;
    this.manual = manual;
  }

  /** Manual clock: runs every entry due at or before `untilMs` in time order, the clock set to each one's time. */
  runUntil(untilMs: number): void {
    const clock = this.manual;
    if (clock === undefined || this.closed) return;
    for (;;) {
      const top = this.heap[0];
      if (top === undefined || top.at > untilMs) break;
      this.pop();
      if (top.cancelled) {
        this.cancelledCount--;
        continue;
      }
      top.cancelled = true;
      clock.nowMs = Math.max(clock.nowMs, top.at);
      this.onDue(top, clock.nowMs);
      if (this.closed) return;
    }
    clock.nowMs = Math.max(clock.nowMs, untilMs);
  }

  /** When the earliest live entry falls due (Infinity when none). */
  nextAt(): number {
    for (;;) {
      const top = this.heap[0];
      if (top === undefined) return Number.POSITIVE_INFINITY;
      if (!top.cancelled) return top.at;
      this.pop();
      this.cancelledCount--;
    }
  }

  /** Adds an entry (its `at`, `cancelled` and `seq` are set here) and returns it. */
  add(entry: NewEntry<E>): E {
    const e = entry as unknown as E;
    e.cancelled = false;
    e.seq = this.nextSeq++;
    this.push(e);
    if (!this.running && e.at < this.timerAt) this.arm();
    return e;
  }

  cancel(entry: E | undefined): void {
    if (entry === undefined || entry.cancelled) return;
    entry.cancelled = true;
    this.cancelledCount++;
    if (this.cancelledCount > 1024 && this.cancelledCount * 2 > this.heap.length) this.compact();
  }

  get size(): number {
    return this.heap.length - this.cancelledCount;
  }

  /** Runs everything due now; called by the timer, and by tests that drive time by hand. */
  runDue(): void {
    if (this.closed || this.manual !== undefined) return;
    this.running = true;
    try {
      let now = epochNowMs();
      for (;;) {
        const top = this.heap[0];
        if (top === undefined) break;
        if (top.at > now) {
          // Events handled above may have taken a while: look at the clock again before sleeping.
          now = epochNowMs();
          if (top.at > now) break;
        }
        this.pop();
        if (top.cancelled) {
          this.cancelledCount--;
          continue;
        }
        top.cancelled = true; // fired entries count as spent, so a late cancel() is a no-op
        // A fresh clock per entry: when many entries fall due together, the later ones
        // really happen later, and what they stamp (partial times, lateness) must say so.
        now = epochNowMs();
        this.onDue(top, now);
        if (this.closed) return;
      }
    } finally {
      this.running = false;
    }
    this.arm();
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.heap.length = 0;
  }

  private arm(): void {
    if (this.closed || this.manual !== undefined) return;
    const top = this.heap[0];
    const at = top === undefined ? Number.POSITIVE_INFINITY : top.at;
    if (at === this.timerAt && this.timer !== undefined) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = at;
    if (top === undefined) return;
    // setTimeout works in whole milliseconds and never fires early by more than that
    // rounding, so round up: firing a little late is caught up, firing early wastes a wake.
    const delayMs = Math.max(0, Math.ceil(at - epochNowMs()));
    this.timer = setTimeout(this.fire, delayMs);
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    this.runDue();
  };

  private less(a: E, b: E): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(e: E): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(e);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as E;
      if (!this.less(e, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = e;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    this.siftDown(last, 0);
  }

  private siftDown(e: E, start: number): void {
    const heap = this.heap;
    const n = heap.length;
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && this.less(heap[right] as E, heap[child] as E)) child = right;
      const c = heap[child] as E;
      if (!this.less(c, e)) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = e;
  }

  private compact(): void {
    const live = this.heap.filter((e) => !e.cancelled);
    this.heap.length = 0;
    this.cancelledCount = 0;
    for (const e of live) this.push(e);
  }
}
