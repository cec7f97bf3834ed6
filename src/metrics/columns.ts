// Columns of numbers that grow one value at a time without ever being copied whole: fixed
// blocks of typed arrays. A million-request run keeps its values unboxed (8 bytes each, not
// an object or a boxed number), never holds twice a column while it grows (as doubling an
// array does), and a column's values are read back in the order they came.

const BLOCK_BITS = 16;
const BLOCK = 1 << BLOCK_BITS;
const MASK = BLOCK - 1;

/** Doubles (any value, NaN included), in blocks of 65,536. */
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

/**
 * Small whole numbers (tokens per chunk): two bytes each while every value is a whole number
 * from 0 to 65,535, doubles from the first that is not. Exactness is kept either way: the
 * compact form only stores what it can hold exactly.
 */
export class CountColumn {
  private small: Uint16Array[] | undefined = [];
  private readonly wide = new Float64Column();
  length = 0;

  push(value: number): void {
    if (this.small !== undefined) {
      if (Number.isInteger(value) && value >= 0 && value <= 0xffff) {
        const at = this.length & MASK;
        if (at === 0) this.small.push(new Uint16Array(BLOCK));
        (this.small[this.small.length - 1] as Uint16Array)[at] = value;
        this.length += 1;
        return;
      }
      // The first value that does not fit: everything moves to doubles.
      for (let i = 0; i < this.length; i++) this.wide.push(this.smallAt(i));
      this.small = undefined;
    }
    this.wide.push(value);
    this.length += 1;
  }

  /** True while every value is a whole number from 0 to 65,535. */
  get compact(): boolean {
    return this.small !== undefined;
  }

  get(index: number): number {
    return this.small !== undefined ? this.smallAt(index) : this.wide.get(index);
  }

  private smallAt(index: number): number {
    return ((this.small as Uint16Array[])[index >>> BLOCK_BITS] as Uint16Array)[index & MASK] as number;
  }
}

const MISSING = 0xffffffff;

/**
 * Numbers that are usually whole and non-negative (counts, server times in ms, request
 * numbers), NaN for none: four bytes each while every value is a whole number below
 * 4,294,967,295, doubles from the first that is not. Values come back exactly either way.
 */
export class CompactColumn {
  private small: Uint32Array[] | undefined = [];
  private last: Uint32Array = new Uint32Array(0);
  private wide: Float64Column | undefined;
  length = 0;

  push(value: number): void {
    if (this.small === undefined || !fits(value)) {
      this.widen().push(value);
      this.length += 1;
      return;
    }
    const at = this.length & MASK;
    if (at === 0) {
      this.last = new Uint32Array(BLOCK);
      this.small.push(this.last);
    }
    this.last[at] = Number.isNaN(value) ? MISSING : value;
    this.length += 1;
  }

  /** Replaces the value pushed last. */
  setLast(value: number): void {
    if (this.small === undefined || !fits(value)) {
      this.widen().setLast(value);
      return;
    }
    this.last[(this.length - 1) & MASK] = Number.isNaN(value) ? MISSING : value;
  }

  get(index: number): number {
    if (this.wide !== undefined) return this.wide.get(index);
    const v = ((this.small as Uint32Array[])[index >>> BLOCK_BITS] as Uint32Array)[index & MASK] as number;
    return v === MISSING ? Number.NaN : v;
  }

  /** The first value that does not fit: everything moves to doubles. */
  private widen(): Float64Column {
    if (this.wide === undefined) {
      const wide = new Float64Column();
      for (let i = 0; i < this.length; i++) wide.push(this.get(i));
      this.wide = wide;
      this.small = undefined;
    }
    return this.wide;
  }
}

function fits(value: number): boolean {
  return Number.isNaN(value) || (Number.isInteger(value) && value >= 0 && value < MISSING && !Object.is(value, -0));
}
