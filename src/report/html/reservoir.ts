// A bounded uniform random sample of a stream (Vitter's Algorithm R): the first `capacity`
// items are kept; the i-th item after that replaces a random kept one with probability
// capacity / i. Every item of the stream ends up in the sample with the same probability,
// so quantiles of the sample estimate those of the stream, and below capacity the sample
// is the stream itself (exact). The random source is seeded by the caller, so a report
// rebuilt from the same results.ndjson is the same file.

export interface Reservoir<T> {
  /** Items offered so far. */
  readonly seen: number;
  add(item: T): void;
  /**
   * add() in two steps, for items costly to build: where the next item goes (a slot to
   * put() it in at once), or -1 when it is not kept. Draws what add() draws.
   */
  slot(): number;
  put(slot: number, item: T): void;
  /** The kept items, in no particular order (a view: do not keep it across add()). */
  items(): readonly T[];
}

export function createReservoir<T>(capacity: number, random: () => number): Reservoir<T> {
  const kept: T[] = [];
  let seen = 0;
  return {
    get seen() {
      return seen;
    },
    add(item) {
      seen += 1;
      if (kept.length < capacity) {
        kept.push(item);
        return;
      }
      const slot = Math.floor(random() * seen);
      if (slot < capacity) kept[slot] = item;
    },
    slot() {
      seen += 1;
      if (kept.length < capacity) return kept.length;
      const slot = Math.floor(random() * seen);
      return slot < capacity ? slot : -1;
    },
    put(slot, item) {
      kept[slot] = item;
    },
    items: () => kept,
  };
}

/** The same for numbers, stored unboxed: chunk gaps can run to millions per variant. */
export interface NumberReservoir {
  readonly seen: number;
  add(value: number): void;
  values(): Float64Array;
}

export function createNumberReservoir(capacity: number, random: () => number): NumberReservoir {
  let kept = new Float64Array(Math.min(capacity, 64));
  let length = 0;
  let seen = 0;
  return {
    get seen() {
      return seen;
    },
    add(value) {
      seen += 1;
      if (length < capacity) {
        if (length === kept.length) {
          const bigger = new Float64Array(Math.min(capacity, kept.length * 2));
          bigger.set(kept);
          kept = bigger;
        }
        kept[length++] = value;
        return;
      }
      const slot = Math.floor(random() * seen);
      if (slot < capacity) kept[slot] = value;
    },
    values: () => kept.subarray(0, length),
  };
}
