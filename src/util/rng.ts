// A small seeded PRNG (sfc32, seeded through splitmix32) and the distributions podbench
// draws from. Math.random cannot be seeded, and a run must be reproducible from its seed.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Fills `out` with the next out.length values next() would give, in order (quicker than as many calls). */
  fill(out: Float64Array): void;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Exponential with the given mean. */
  exponential(mean: number): number;
  /** Log-normal given its median and the sigma of the underlying normal. */
  lognormal(median: number, sigma: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** A new generator whose stream depends on this seed and the label, not on draws so far. */
  fork(label: string | number): Rng;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a over the text: turns labels into seeds. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function createRng(seed: number): Rng {
  const seeder = splitmix32(seed);
  // The four words in a typed array, not in closure variables: a word above 2^31 held in a
  // variable is a heap number, one allocation per word per draw, which made a draw about
  // three times slower (the bootstrap of a report draws tens of millions). Stores wrap
  // modulo 2^32, as `>>> 0` did: the same stream.
  const state = Uint32Array.of(seeder(), seeder(), seeder(), seeder());
  const next = (): number => {
    // sfc32
    const a = state[0] as number;
    const b = state[1] as number;
    const c = state[2] as number;
    const d = state[3] as number;
    const t = (((a + b) >>> 0) + d) >>> 0;
    state[3] = d + 1;
    state[0] = b ^ (b >>> 9);
    state[1] = c + (c << 3);
    state[2] = ((c << 21) | (c >>> 11)) + t;
    return t / 4294967296;
  };
  const fill = (out: Float64Array): void => {
    // The same steps in local int32 variables, which V8 keeps in registers for the loop
    // (only the typed array's loads and stores are saved): the same bits, as unsigned at the end.
    let a = (state[0] as number) | 0;
    let b = (state[1] as number) | 0;
    let c = (state[2] as number) | 0;
    let d = (state[3] as number) | 0;
    for (let i = 0; i < out.length; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      out[i] = (t >>> 0) / 4294967296;
    }
    state[0] = a;
    state[1] = b;
    state[2] = c;
    state[3] = d;
  };
  let spareNormal: number | undefined;
  const rng: Rng = {
    next,
    fill,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    normal: () => {
      if (spareNormal !== undefined) {
        const value = spareNormal;
        spareNormal = undefined;
        return value;
      }
      let u = next();
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spareNormal = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    exponential: (mean) => {
      let u = next();
      while (u === 0) u = next();
      return -Math.log(u) * mean;
    },
    lognormal: (median, sigma) => median * Math.exp(sigma * rng.normal()),
    chance: (p) => p > 0 && next() < p,
    fork: (label) => createRng((seed ^ hashString(String(label))) >>> 0),
  };
  return rng;
}
