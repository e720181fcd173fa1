/**
 * Every piece of process-wide state the lookup path keeps, in one registry: what it holds, its
 * bound, its lifetime, its current size, and how to forget it. Each module registers its own
 * caches here when it loads; `resetProcessState` (what `clearImageCache` calls) forgets them all.
 */

/** One piece of process-wide state. */
export interface StatePiece {
  /** Which module keeps it and what it is, e.g. `client: shared answers`. */
  readonly name: string;
  /** What one entry is keyed by and holds. */
  readonly holds: string;
  /** The most it keeps. */
  readonly bound: string;
  /** How long an entry lives. */
  readonly lifetime: string;
  /** Entries it holds now (`undefined` for a WeakMap, which cannot count). */
  size(): number | undefined;
  /** Forgets every entry. */
  reset(): void;
}

const pieces: StatePiece[] = [];

/** Registers a piece of state (once per module, when it loads). */
export function registerState(piece: StatePiece): void {
  pieces.push(piece);
}

/** The registered state, each piece with its size now. */
export function processState(): ReadonlyArray<Omit<StatePiece, "size" | "reset"> & { readonly size: number | undefined }> {
  return pieces.map((p) => ({ name: p.name, holds: p.holds, bound: p.bound, lifetime: p.lifetime, size: p.size() }));
}

/** Forgets all process-wide state: remembered answers, settings, parsed endpoints, signing keys. */
export function resetProcessState(): void {
  for (const piece of pieces) piece.reset();
}
