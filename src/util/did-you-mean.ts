// "Did you mean": the closest known name to a mistyped one (a field, a flag, a bundled
// scenario, a mode), for error messages. Edit distance (Levenshtein, case-insensitive),
// accepted only when close enough that the suggestion is likely what was meant.

/** Edits (insert, delete, substitute) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
    }
    previous = current;
  }
  return previous[y.length] as number;
}

/**
 * The known name closest to `given`, when it is within a third of the longer name's length
 * (at least 1 edit, at most 3): `concurency` → `concurrency`, `max_token` → `max_tokens`.
 */
export function closest(given: string, known: Iterable<string>): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    if (name === given) return undefined;
    const distance = editDistance(given, name);
    const limit = Math.min(3, Math.max(1, Math.floor(Math.max(given.length, name.length) / 3)));
    if (distance > limit) continue;
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best?.name;
}

/** ` (did you mean "x"?)`, or '' when nothing is close. */
export function didYouMean(given: string, known: Iterable<string>): string {
  const name = closest(given, known);
  return name === undefined ? '' : ` (did you mean "${name}"?)`;
}
