// Small linear least squares for the decode fit: weighted normal equations solved by Gaussian
// elimination (a handful of columns), and Huber's robust regression on top, so a few jobs hit
// by something the model does not know (a GC pause, a slow poll) pull the fit only a little.
// Pure.

/** β minimising Σ w_i (y_i − x_i·β)²; undefined when the columns do not determine it. */
export function weightedLeastSquares(
  rows: ReadonlyArray<ReadonlyArray<number>>,
  y: ReadonlyArray<number>,
  w: ReadonlyArray<number>,
): number[] | undefined {
  const p = rows[0]?.length ?? 0;
  if (p === 0 || rows.length < p) return undefined;
  // Columns scaled to unit size first: token counts and step counts differ by orders of magnitude.
  const scale = new Array<number>(p).fill(0);
  for (const row of rows)
    for (let j = 0; j < p; j++) scale[j] = Math.max(scale[j] as number, Math.abs(row[j] as number));
  for (let j = 0; j < p; j++) if ((scale[j] as number) === 0) return undefined;
  const a: number[][] = Array.from({ length: p }, () => new Array<number>(p + 1).fill(0));
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as ReadonlyArray<number>;
    const wi = w[i] as number;
    if (!(wi > 0)) continue;
    for (let j = 0; j < p; j++) {
      const xj = (row[j] as number) / (scale[j] as number);
      const aj = a[j] as number[];
      for (let k = 0; k < p; k++) aj[k] = (aj[k] as number) + wi * xj * ((row[k] as number) / (scale[k] as number));
      aj[p] = (aj[p] as number) + wi * xj * (y[i] as number);
    }
  }
  const beta = solve(a, p);
  return beta?.map((b, j) => b / (scale[j] as number));
}

/** Gaussian elimination with partial pivoting on the augmented p × (p+1) matrix. */
function solve(a: number[][], p: number): number[] | undefined {
  let largest = 0;
  for (const row of a) for (let k = 0; k < p; k++) largest = Math.max(largest, Math.abs(row[k] as number));
  if (largest === 0) return undefined;
  for (let col = 0; col < p; col++) {
    let pivot = col;
    for (let r = col + 1; r < p; r++)
      if (Math.abs((a[r] as number[])[col] as number) > Math.abs((a[pivot] as number[])[col] as number)) pivot = r;
    const pr = a[pivot] as number[];
    if (Math.abs(pr[col] as number) < 1e-10 * largest) return undefined;
    a[pivot] = a[col] as number[];
    a[col] = pr;
    for (let r = col + 1; r < p; r++) {
      const rr = a[r] as number[];
      const f = (rr[col] as number) / (pr[col] as number);
      for (let k = col; k <= p; k++) rr[k] = (rr[k] as number) - f * (pr[k] as number);
    }
  }
  const x = new Array<number>(p).fill(0);
  for (let r = p - 1; r >= 0; r--) {
    const row = a[r] as number[];
    let s = row[p] as number;
    for (let k = r + 1; k < p; k++) s -= (row[k] as number) * (x[k] as number);
    x[r] = s / (row[r] as number);
  }
  return x.every(Number.isFinite) ? x : undefined;
}

export interface RobustFit {
  beta: number[];
  /** Huber weights of the last pass (1 = a full vote). */
  robustness: number[];
  /** Rows whose vote was cut below a half. */
  downweighted: number;
  /** Weighted residual scale (MAD-based, in units of y times sqrt(base weight)). */
  scale: number;
}

/**
 * Huber M-estimate by iteratively reweighted least squares. `base` weights express what is
 * known about each row's noise (1/variance); residuals beyond k robust standard deviations
 * get a proportionally smaller vote.
 */
export function huberFit(
  rows: ReadonlyArray<ReadonlyArray<number>>,
  y: ReadonlyArray<number>,
  base: ReadonlyArray<number>,
  k = 1.345,
  passes = 12,
): RobustFit | undefined {
  let robustness = rows.map(() => 1);
  let beta = weightedLeastSquares(rows, y, base);
  if (beta === undefined) return undefined;
  let scale = 0;
  for (let pass = 0; pass < passes; pass++) {
    const b = beta;
    const standardized = rows.map((row, i) => {
      let fit = 0;
      for (let j = 0; j < b.length; j++) fit += (row[j] as number) * (b[j] as number);
      return ((y[i] as number) - fit) * Math.sqrt(base[i] as number);
    });
    scale = 1.4826 * median(standardized.map(Math.abs));
    if (!(scale > 0)) break;
    robustness = standardized.map((r) => {
      const u = Math.abs(r) / (k * scale);
      return u <= 1 ? 1 : 1 / u;
    });
    const next = weightedLeastSquares(
      rows,
      y,
      base.map((w, i) => w * (robustness[i] as number)),
    );
    if (next === undefined) break;
    const moved = next.some((v, j) => Math.abs(v - (b[j] as number)) > 1e-9 * (1 + Math.abs(v)));
    beta = next;
    if (!moved) break;
  }
  return { beta, robustness, downweighted: robustness.filter((r) => r < 0.5).length, scale };
}

export function median(values: ReadonlyArray<number>): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
