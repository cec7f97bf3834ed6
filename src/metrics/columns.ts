// Columns of numbers that grow one value at a time without ever being copied whole: fixed
// blocks of typed arrays. A million-request run keeps its values unboxed (8 bytes each, not
// an object or a boxed number), never holds twice a column while it grows (as doubling an
// array does), and a column's values are read back in the order they came.

const BLOCK_BITS = 14;
const BLOCK = 1 << BLOCK_BITS;
const MASK = BLOCK - 1;

/** Doubles (any value, NaN included), in blocks of 16,384 (small enough that a half-used last block costs little). */
export class Float64Column {
  private readonly blocks: Float64Array[] = [];
  private last: Float64Array = new Float64Array(0);
  length = 0;

  push(value: number): void {
    const at = this.length & MASK;
    if (at === 0) {
      this.last = new Float64Array(BLOCK);
      this.blocks.push(this.last);
    }
    this.last[at] = value;
    this.length += 1;
  }

  /** Replaces the value pushed last. */
  setLast(value: number): void {
    this.last[(this.length - 1) & MASK] = value;
  }

  get(index: number): number {
    return (this.blocks[index >>> BLOCK_BITS] as Float64Array)[index & MASK] as number;
  }

  /** How many values are not NaN among those whose index `keep` marks (non-zero). */
  countKept(keep: ArrayLike<number>): number {
    let n = 0;
    for (let b = 0; b < this.blocks.length; b++) {
      const block = this.blocks[b] as Float64Array;
      const base = b * BLOCK;
      const size = Math.min(BLOCK, this.length - base);
      for (let i = 0; i < size; i++) if (keep[base + i] && !Number.isNaN(block[i] as number)) n += 1;
    }
    return n;
  }

  /** Every value, in order, as one array (a copy). */
  toArray(): Float64Array {
    const out = new Float64Array(this.length);
    for (let b = 0; b < this.blocks.length; b++) {
      const block = this.blocks[b] as Float64Array;
      const n = Math.min(BLOCK, this.length - b * BLOCK);
      out.set(n === BLOCK ? block : block.subarray(0, n), b * BLOCK);
    }
    return out;
  }
}

type Level = Uint8Array | Uint16Array | Int32Array | Float64Array;
const whole = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max && !Object.is(v, -0);
/**
 * The storage levels, each holding every value of the ones before it. A whole-number level
 * keeps its lowest (or highest) value for NaN, "no value", so that value itself needs the
 * next level.
 */
const LEVELS = [
  { make: (n: number) => new Uint8Array(n), fits: (v: number) => whole(v, 0, 0xfe), none: 0xff, min: 0, max: 0xfe },
  {
    make: (n: number) => new Uint16Array(n),
    fits: (v: number) => whole(v, 0, 0xfffe),
    none: 0xffff,
    min: 0,
    max: 0xfffe,
  },
  {
    make: (n: number) => new Int32Array(n),
    fits: (v: number) => whole(v, -0x7fffffff, 0x7fffffff),
    none: -0x80000000,
    min: -0x7fffffff,
    max: 0x7fffffff,
  },
  {
    make: (n: number) => new Float64Array(n),
    fits: () => true,
    none: Number.NaN,
    min: Number.NEGATIVE_INFINITY,
    max: Number.POSITIVE_INFINITY,
  },
] as const;

/**
 * Numbers that are mostly small whole numbers (counts, the server's ms, tokens per chunk,
 * µs between chunks), NaN for none: one byte each while every value fits in one, then two,
 * four (signed), and doubles from the first value that needs them; the values so far move
 * up once. Values come back exactly.
 */
export class SmallIntColumn {
  private level = 0;
  private blocks: Level[] = [];
  /** The last block, and the whole numbers the level holds (from min to max): a summary pushes tens of millions of values. */
  private last: Level = new Uint8Array(0);
  private min: number = LEVELS[0].min;
  private max: number = LEVELS[0].max;
  length = 0;

  push(value: number): void {
    this.length += 1;
    if ((this.length - 1) % BLOCK === 0) {
      this.last = this.levelInfo().make(BLOCK);
      this.blocks.push(this.last);
    }
    this.setLast(value);
  }

  /** Replaces the value pushed last. */
  setLast(value: number): void {
    // The usual value first: a whole number the level holds (not -0, which only doubles keep).
    if (value >= this.min && value <= this.max && Math.floor(value) === value && (value !== 0 || 1 / value > 0)) {
      this.last[(this.length - 1) & MASK] = value;
      return;
    }
    if (!Number.isNaN(value)) while (!this.levelInfo().fits(value)) this.widen();
    (this.blocks[this.blocks.length - 1] as Level)[(this.length - 1) & MASK] = Number.isNaN(value)
      ? this.levelInfo().none
      : value;
  }

  /** True while every value is a whole number from 0 to 65,534 (or none). */
  get compact(): boolean {
    return this.level <= 1;
  }

  get(index: number): number {
    const v = (this.blocks[index >>> BLOCK_BITS] as Level)[index & MASK] as number;
    return v === this.levelInfo().none ? Number.NaN : v;
  }

  /** How many values are not none (NaN) among those whose index `keep` marks (non-zero). */
  countKept(keep: ArrayLike<number>): number {
    const none = this.levelInfo().none;
    let n = 0;
    for (let b = 0; b < this.blocks.length; b++) {
      const block = this.blocks[b] as Level;
      const base = b * BLOCK;
      const size = Math.min(BLOCK, this.length - base);
      for (let i = 0; i < size; i++) {
        const v = block[i] as number;
        // Doubles keep NaN for none, which equals nothing, itself included.
        if (keep[base + i] && v !== none && !Number.isNaN(v)) n += 1;
      }
    }
    return n;
  }

  /** Every value, in order, as doubles (NaN for none; a copy). */
  toArray(): Float64Array {
    const out = new Float64Array(this.length);
    const none = this.levelInfo().none;
    for (let b = 0; b < this.blocks.length; b++) {
      const block = this.blocks[b] as Level;
      const n = Math.min(BLOCK, this.length - b * BLOCK);
      const base = b * BLOCK;
      for (let i = 0; i < n; i++) {
        const v = block[i] as number;
        out[base + i] = v === none ? Number.NaN : v;
      }
    }
    return out;
  }

  private levelInfo(): (typeof LEVELS)[number] {
    return LEVELS[this.level] as (typeof LEVELS)[number];
  }

  private widen(): void {
    const from = this.levelInfo().none;
    this.level += 1;
    const { make, none } = this.levelInfo();
    this.blocks = this.blocks.map((block) => {
      const wider = make(BLOCK);
      for (let i = 0; i < block.length; i++) wider[i] = block[i] === from ? none : (block[i] as number);
      return wider;
    });
    this.last = this.blocks[this.blocks.length - 1] ?? this.last;
    ({ min: this.min, max: this.max } = this.levelInfo());
  }
}
