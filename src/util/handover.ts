// Blocks of work handed from one thread to another, with the receiver's acknowledgements
// keeping the sender at most a few blocks ahead: a report's records go from the reader
// thread to the main thread and on to the requests.csv worker this way, and neither end may
// pile them up in memory when the other is slower.

/** The sender's side: how many blocks are posted and not yet acknowledged. */
export class AckWindow {
  private unread = 0;
  private closed = false;
  private wake: (() => void) | undefined;
  private readonly max: number;

  /** `max`: blocks that may wait unread before room() waits. */
  constructor(max: number) {
    this.max = max;
  }

  sent(): void {
    this.unread += 1;
  }

  acked(): void {
    this.unread -= 1;
    this.wake?.();
  }

  /** The receiver is gone (it failed, or finished): nothing waits for it any more. */
  close(): void {
    this.closed = true;
    this.wake?.();
  }

  /** Resolves once at most `max` blocks are unread, or the window is closed. */
  async room(): Promise<void> {
    while (this.unread > this.max && !this.closed) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}

/** The receiver's side: messages as they arrive, taken in order by one reader. */
export class Mailbox<T> {
  private readonly queue: T[] = [];
  private ended = false;
  private wake: (() => void) | undefined;

  put(item: T): void {
    this.queue.push(item);
    this.wake?.();
  }

  /** No more items: take() ends once the queue is empty. */
  end(): void {
    this.ended = true;
    this.wake?.();
  }

  /** Each item in turn; `taken` runs once the reader has done with one and asks for the next (the acknowledgement). */
  async *take(taken: () => void = () => undefined): AsyncGenerator<T> {
    for (;;) {
      if (this.queue.length > 0) {
        yield this.queue.shift() as T;
        taken();
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}
