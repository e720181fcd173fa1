/**
 * The ImageLookup dynamic provider's implementation. The serialized provider in
 * state holds only small methods that `require("pulumi-jdcloud-image/provider")`
 * and call these functions, so no credential, client or schema is ever captured
 * in `__provider`, and the serialized text does not change when this file does.
 *
 * Settings come from the stack config that `configure` receives and from the
 * provider process's environment, at run time.
 */
import { JdcloudImageError, clip } from "./jdcloud/errors";
import { didYouMean } from "./jdcloud/suggest";
import { lookupValidImage, parseArgs, refreshImage } from "./lookup";
import { IMAGE_FIELDS, Image } from "./jdcloud/image";
import { GetImageArgs, schemas } from "./jdcloud/wire";
import { resolveSettings } from "./jdcloud/settings";
import { SOURCES } from "./providerConfig";

export { configure } from "./providerConfig";
export type { ConfigureRequest } from "./providerConfig";
/** ImageSearch's provider functions (the serialized ImageSearch provider calls `search.create`, ...). */
export * as search from "./imageSearchProvider";

/** The engine's marker for a value not known until apply. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A failure `check` reports, as Pulumi's `CheckFailure`. */
export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/** Whether a value holds the engine's unknown marker anywhere (preview of values not yet known). */
export function isUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(isUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(isUnknown);
  return false;
}

/** Drops unknown values so schemas check only what is known (preview). */
function known(value: unknown): unknown {
  if (value === UNKNOWN) return undefined;
  if (Array.isArray(value)) return value.filter((v) => v !== UNKNOWN).map(known);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== UNKNOWN)
        .map(([k, v]) => [k, known(v)]),
    );
  }
  return value;
}

/** The lookup's own inputs (the resource's properties also hold its outputs and `__provider`). */
function pick(news: Record<string, unknown>): Record<string, unknown> {
  const { imageId, regionId, require } = news;
  return {
    ...(imageId !== undefined ? { imageId } : {}),
    ...(regionId !== undefined ? { regionId } : {}),
    ...(require !== undefined ? { require } : {}),
  };
}

/**
 * Validates inputs with the shared schemas, fills `regionId` from the settings,
 * and — when every input is known — reads the image and enforces `require`, so
 * `pulumi preview` fails on an image that is missing or does not fit.
 */
export async function check(
  _olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
  const inputs = pick(news);
  // Unknown values (preview) are left out and not required; what is known must be valid.
  const schema = schemas().GetImageArgsSchema.partial();
  const given = known(inputs);
  const parsed = schema.safeParse(given);
  const failures: CheckFailure[] = unknownInputs(news, LOOKUP_INPUTS, "ImageLookup");
  if (!parsed.success) {
    for (const p of schemas().inputProblems(schema, parsed.error, given)) failures.push(failure(p.path, p.problem, p.suggestion));
  }
  if (inputs["imageId"] === undefined)
    failures.push({ property: "imageId", reason: "is required: the ID of the image to look up, e.g. 'img-h8ly274zg9'" });
  if (failures.length > 0 || !parsed.success) return { inputs, failures: dedupe(failures) };

  if (inputs["regionId"] === undefined) {
    const region = resolveRegion();
    if (region !== undefined) inputs["regionId"] = region;
  }
  if (isUnknown(inputs)) return { inputs, failures };
  try {
    // Validated above (all known now); the region, when filled in, came from validated settings.
    const regionId = inputs["regionId"] as string | undefined;
    await lookup({ ...parsed.data, imageId: parsed.data.imageId as string, ...(regionId !== undefined ? { regionId } : {}) }, false);
  } catch (err) {
    return { inputs, failures: [checkFailureOf(err)] };
  }
  return { inputs, failures };
}

/**
 * A failure of `check` as a check failure, printed once by the engine without the stack trace the
 * provider host prints for a thrown error: our sentence, or for anything else (a bug of ours) a
 * sentence that says so, bounded and cleaned.
 */
export function checkFailureOf(err: unknown): CheckFailure {
  if (err instanceof JdcloudImageError) return { property: "", reason: err.message };
  const what = err instanceof Error ? err.message : String(err);
  return { property: "", reason: `The jdcloud-image provider failed unexpectedly (${clip(what, 200)}); please report this.` };
}

/**
 * A check failure for an input path. The engine prints a failure on a top-level property with that
 * property's value (`property 'imageId' value {img-x} has a problem: ...`), which reads well for a
 * string; for a nested path or an object it would print Go map syntax, so the path goes into the
 * reason instead.
 */
function failure(path: string, problem: string, suggestion?: string): CheckFailure {
  const reason = suggestion ? `${problem}; ${suggestion}` : problem;
  if (path === "imageId" || path === "regionId") return { property: path, reason };
  return { property: "", reason: `${path || "the arguments"}: ${reason}` };
}

/** The inputs of an ImageLookup. */
const LOOKUP_INPUTS = ["imageId", "regionId", "require"] as const;
/** Keys the engine and the SDK put among a dynamic resource's inputs. */
const MACHINERY = new Set(["__provider", "resourceName"]);

/**
 * A check failure for each key given that is no input of the resource (JavaScript has no compiler to
 * say so): named, with the input it was most likely meant to be. Never ignored: a misspelt `require`
 * would otherwise check nothing.
 */
export function unknownInputs(
  news: Record<string, unknown>,
  inputs: readonly string[],
  resource: string,
  hint?: (key: string) => string | undefined,
): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const key of Object.keys(news)) {
    if (inputs.includes(key) || MACHINERY.has(key) || news[key] === undefined) continue;
    const fix = hint?.(key) ?? didYouMean(key, inputs) ?? `its inputs are ${inputs.join(", ")}`;
    failures.push({ property: "", reason: `${resource} has no input '${clip(key, 40)}'; ${fix}` });
  }
  return failures;
}

/** Drops repeats: one failure per property, except that sentences on no property each stand. */
function dedupe(failures: CheckFailure[]): CheckFailure[] {
  const seen = new Set<string>();
  return failures.filter((f) => {
    const key = f.property === "" ? `\n${f.reason}` : f.property;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

function resolveRegion(): string | undefined {
  try {
    return resolveSettings({}, SOURCES).region;
  } catch (err) {
    // Missing credentials surface from the lookup itself, with the full message.
    if (err instanceof JdcloudImageError) return undefined;
    throw err;
  }
}

function lookup(args: GetImageArgs, fresh: boolean): Promise<Image> {
  return lookupValidImage(args, { sources: SOURCES, describe: { fresh } });
}

/** The resource's outputs: its inputs and every Image field, `null` where JD Cloud sent none (so refresh clears it). */
function outputs(inputs: GetImageArgs, image: Image): Record<string, unknown> {
  const fields = Object.fromEntries(IMAGE_FIELDS.map((field) => [field, image[field] ?? null]));
  return { ...inputs, ...fields };
}

/** Looks the image up afresh; the ID is the image ID. */
export async function create(inputs: Record<string, unknown>): Promise<{ id: string; outs: Record<string, unknown> }> {
  const parsed = parseArgs(pick(inputs));
  const found = await lookup(parsed, true);
  return { id: parsed.imageId, outs: outputs(parsed, found) };
}

/** Replace when the image or region changes; update when `require` does. */
export function diff(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
  const replaces = (["imageId", "regionId"] as const).filter((k) => !sameValue(olds[k], news[k]));
  const changed = replaces.length > 0 || !sameValue(olds["require"], news["require"]);
  return Promise.resolve({ changes: changed, replaces, deleteBeforeReplace: false });
}

/** Structural equality that ignores key order. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/** Looks the image up again; after a `require` change the image must still fit. */
export async function update(
  _id: string,
  _olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<{ outs: Record<string, unknown> }> {
  const parsed = parseArgs(pick(news));
  return { outs: outputs(parsed, await lookup(parsed, true)) };
}

/**
 * Refresh: asks JD Cloud afresh. Only a definite absence (see `refreshImage`: describeImage says
 * not-found and describeImages by ID confirms it) returns an empty ID, which drops the resource
 * from state; any other failure fails the refresh and leaves the state as it was. A changed image
 * is reported as it is now, even if it no longer meets `require` (the next preview's check says so).
 */
export async function read(id: string, props: Record<string, unknown>): Promise<{ id: string; props: Record<string, unknown> }> {
  const parsed = parseArgs(pick(props));
  const refreshed = await refreshImage(parsed, { sources: SOURCES });
  if (refreshed.gone) return { id: "", props: {} };
  return { id, props: outputs(parsed, refreshed.image) };
}
