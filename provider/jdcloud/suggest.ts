/**
 * "Did you mean": the known name closest to a misspelt one, in the spelling of the caller's language
 * (`region_id` for a Python dict key, `regionId` otherwise), as a compiler would offer it.
 */

/** A name folded for comparison: lower case, without `_` and `-` (so `regionID`, `region_id` and `regionId` meet). */
function folded(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, "");
}

/** The optimal-string-alignment distance (Levenshtein plus adjacent swaps), cut off past `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const width = b.length + 1;
  // Row i of the table at d[i * width + j]: the distance between a[0..i) and b[0..j).
  const d = new Array<number>((a.length + 1) * width).fill(0);
  for (let j = 0; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    d[i * width] = i;
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[(i - 1) * width + j] + 1, d[i * width + j - 1] + 1, d[(i - 1) * width + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, d[(i - 2) * width + j - 2] + 1);
      d[i * width + j] = value;
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
  }
  return d[a.length * width + b.length];
}

/** The candidate closest to `given` (case, `_` and `-` aside first; then by edits), or undefined when none is close. */
export function closest(given: string, candidates: Iterable<string>): string | undefined {
  if (given.length > 64) return undefined;
  const key = folded(given);
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(key.length / 3));
  for (const candidate of candidates) {
    if (candidate === given) continue;
    const other = folded(candidate);
    if (other === key) return candidate;
    const d = distance(key, other, bestDistance);
    if (d < bestDistance || (d === bestDistance && best === undefined)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** `camelCase` as Python spells it: `region_id`, `max_system_disk_size_gb`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();
}

/**
 * `did you mean 'regionId'?` for a misspelt name, or undefined when no known name is close. A name
 * written in snake_case (a Python dict key) gets its suggestion in snake_case too.
 */
export function didYouMean(given: string, candidates: Iterable<string>): string | undefined {
  const match = closest(given, candidates);
  if (match === undefined) return undefined;
  // A snake_case name (a Python dict key) gets a snake_case suggestion, unless that is the name
  // itself: then the caller takes camelCase names (TypeScript), and the camelCase one is the fix.
  const snake = snakeCase(match);
  return `did you mean '${given.includes("_") && snake !== given ? snake : match}'?`;
}
