/**
 * Everything the lookup path remembers, in one registry, and the one policy for how long: what
 * each piece holds, its bound, its lifetime, its current size, and how to forget it. Each module
 * registers its own pieces here when it loads; `resetProcessState` (what `clearImageCache` calls)
 * forgets them all.
 *
 * The policy: what was learned from the world — JD Cloud's answers, search scans, settings read from
 * config, the environment and the jdc profile, warnings given — lasts **one deployment** at most
 * (`deploymentMemory`). Under Pulumi a deployment is one run of a program: one preview or update of
 * one stack, whether on a language host or inline through the Automation API, so a process that runs
 * `up` twice sees the catalogue as it is at the second run. Outside Pulumi there is no deployment to
 * scope to, and memory lasts at most {@link OUTSIDE_PULUMI_MS}. Pure caches — a function's results
 * by its inputs (parsed endpoints, signing keys) — may live as long as the process: they cannot go
 * stale.
 */

/** One piece of remembered state. */
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

/** Forgets all remembered state: answers, scans, settings, parsed endpoints, signing keys. */
export function resetProcessState(): void {
  for (const piece of pieces) piece.reset();
}

/**
 * Forgets every remembered answer, and all other remembered state of the lookup path (settings,
 * scans, parsed endpoints, signing keys): for tests. Each deployment starts with no answers anyway.
 */
export function clearImageCache(): void {
  resetProcessState();
}

/** Outside a Pulumi deployment, what was learned from the world is remembered at most this long (ms). */
export const OUTSIDE_PULUMI_MS = 60_000;

/**
 * What tells deployments apart: returns an object that lives exactly as long as the deployment
 * running now (the SDK gives the Pulumi run's resource monitor client), or undefined outside one.
 */
export type DeploymentIdentity = () => object | undefined;

let identity: DeploymentIdentity = () => undefined;
let now: () => number = Date.now;
let outsideWindow: { readonly token: object; readonly until: number } | undefined;

/**
 * Sets how deployments are told apart (the SDK does, when it loads inside a Pulumi program) and,
 * for tests, the clock that bounds memory outside Pulumi. Either may be left out.
 */
export function configureDeployments(options: { readonly identity?: DeploymentIdentity; readonly now?: () => number }): void {
  if (options.identity) identity = options.identity;
  if (options.now) {
    now = options.now;
    outsideWindow = undefined;
  }
}

/** The object that stands for the deployment running now: the run's own, or outside Pulumi a window of time. */
function currentDeployment(): object {
  const run = identity();
  if (run !== undefined) return run;
  const at = now();
  if (outsideWindow === undefined || at >= outsideWindow.until) outsideWindow = { token: {}, until: at + OUTSIDE_PULUMI_MS };
  return outsideWindow.token;
}

/** How a piece of deployment memory is described in {@link processState}. */
export interface DeploymentPiece<T> {
  readonly name: string;
  readonly holds: string;
  readonly bound: string;
  /** Entries in one deployment's memory. */
  size(memory: T): number;
}

/**
 * Memory that lasts one deployment: returns the accessor of the current deployment's `T`, made
 * with `make` the first time a deployment asks. Earlier deployments' memory is dropped with them
 * (weakly held), so a long-running process never answers one deployment from another's.
 */
export function deploymentMemory<T extends object>(piece: DeploymentPiece<T>, make: () => T): () => T {
  let byDeployment = new WeakMap<object, T>();
  let lastDeployment: object | undefined;
  let last: T | undefined;
  registerState({
    name: piece.name,
    holds: piece.holds,
    bound: piece.bound,
    lifetime: `one deployment (one run of a Pulumi program); outside Pulumi at most ${OUTSIDE_PULUMI_MS / 1000} s`,
    size: () => (last !== undefined && lastDeployment === currentDeployment() ? piece.size(last) : 0),
    reset: () => {
      byDeployment = new WeakMap();
      lastDeployment = undefined;
      last = undefined;
    },
  });
  return () => {
    const deployment = currentDeployment();
    if (deployment === lastDeployment && last !== undefined) return last;
    let memory = byDeployment.get(deployment);
    if (memory === undefined) byDeployment.set(deployment, (memory = make()));
    lastDeployment = deployment;
    last = memory;
    return memory;
  };
}
