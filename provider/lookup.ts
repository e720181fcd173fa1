/**
 * The whole lookup, shared by `getImage` and the dynamic provider: validate the
 * arguments, resolve settings, read the image, check the requirements.
 */
import type { z } from "zod";
import { DescribedImage, describeImage, describeImagesPage, DescribeOptions } from "./jdcloud/client";
import {
  ImageNotFoundError,
  ImageRequirementError,
  InvalidArgumentError,
  LookupTarget,
  UnconfirmedAbsenceError,
  clip,
} from "./jdcloud/errors";
import { findMisses } from "./requirements";
import { GetImageArgs, IMAGE_ID_PATTERN, Image, LEGACY_IMAGE_ID_PATTERN, REGION_ID_PATTERN, schemas } from "./jdcloud/wire";
import { LookupOptions, Settings, SettingsCaller, SettingsSources, resolveSettings, settingPlaces } from "./jdcloud/settings";
import { registerState } from "./jdcloud/state";

const FIXES: Record<string, string> = {
  imageId: "pass the ID as JD Cloud shows it, e.g. 'img-h8ly274zg9'",
  regionId: "pass a region ID such as 'cn-north-1'",
};

/**
 * Whether `args` is the common shape `{ imageId, regionId? }` with valid values: the schema would
 * return it unchanged, so a program's burst of lookups skips the schema's work.
 */
function isPlainLookup(args: unknown): args is GetImageArgs {
  if (typeof args !== "object" || args === null || Object.getPrototypeOf(args) !== Object.prototype) return false;
  let keys = 0;
  for (const key in args) {
    keys++;
    const value = (args as Record<string, unknown>)[key];
    if (typeof value !== "string") return false;
    if (
      key === "imageId"
        ? !(IMAGE_ID_PATTERN.test(value) || LEGACY_IMAGE_ID_PATTERN.test(value))
        : key !== "regionId" || !REGION_ID_PATTERN.test(value)
    ) {
      return false;
    }
  }
  return keys > 0 && typeof (args as { imageId?: unknown }).imageId === "string";
}

/** Validates `getImage` arguments; throws `InvalidArgumentError` naming the first bad one. */
export function parseArgs(args: unknown): GetImageArgs {
  if (isPlainLookup(args)) return args;
  const parsed = schemas().GetImageArgsSchema.safeParse(args);
  if (parsed.success) return parsed.data;
  throw argumentError(parsed.error, args);
}

function argumentError(error: z.ZodError, args: unknown): InvalidArgumentError {
  const { path, problem, suggestion } = schemas().inputProblem(schemas().GetImageArgsSchema, error, args);
  const fix = suggestion ?? FIXES[path] ?? "see the documentation of getImage's arguments and ImageRequirements";
  const target = typeof args === "object" && args !== null ? (args as Record<string, unknown>) : {};
  return new InvalidArgumentError(path || "arguments", problem, fix, {
    ...(typeof target["imageId"] === "string" && path !== "imageId" ? { imageId: clip(target["imageId"]) } : {}),
  });
}

const NO_OPTIONS: LookupOptions = Object.freeze({});
// Settings resolved in this turn of the event loop, by sources and options object. An entry is
// good while its turn is the current one; the turn advances once per turn in which one was made.
const burst = new WeakMap<SettingsSources, WeakMap<LookupOptions, { turn: number; settings: Settings }>>();
let turn = 0;
let turnEnding = false;
registerState({
  name: "lookup: settings of this turn",
  holds: "the settings resolved for a sources and options object in this turn of the event loop",
  bound: "one per options object alive (a WeakMap)",
  lifetime: "this turn of the event loop",
  size: () => undefined,
  reset: () => {
    turn++;
  },
});

/**
 * Settings for a call. A program starts hundreds of lookups in one synchronous
 * burst with the same options object; within that burst nothing can change the
 * environment or config, so the burst shares one resolution, forgotten on the
 * next turn of the event loop.
 */
function settingsFor(options: LookupOptions | undefined, sources: SettingsSources | undefined, target: LookupTarget): Settings {
  if (sources === undefined) return resolveSettings(options, sources, target);
  const key = options ?? NO_OPTIONS;
  let bySources = burst.get(sources);
  const hit = bySources?.get(key);
  if (hit && hit.turn === turn) return hit.settings;
  const settings = resolveSettings(options, sources, target);
  if (!bySources) burst.set(sources, (bySources = new WeakMap()));
  bySources.set(key, { turn, settings });
  endTurnSoon();
  return settings;
}

/** Advances `turn`, and forgets this turn's plain lookups, once this turn of the event loop is over. */
function endTurnSoon(): void {
  if (turnEnding) return;
  turnEnding = true;
  setImmediate(() => {
    turn++;
    lookupsThisTurn = new WeakMap();
    turnEnding = false;
  });
}

/** This turn's plain lookups of one context: region ID (`undefined` when none was given) → image ID → result. */
type TurnLookups = Map<string | undefined, Map<string, Promise<Image>>>;
// A program's synchronous burst of 2,000 lookups of 50 images with one options object takes the
// full path (checks, settings, sharing key) 50 times; the other 1,950 find the promise the first
// lookup of their image got, here, allocating nothing. In a fresh process that matters: no
// request can connect until the burst is over, and garbage made in it brings on a collection.
let lookupsThisTurn = new WeakMap<LookupContext, TurnLookups>();
registerState({
  name: "lookup: plain lookups of this turn",
  holds: "the result of each plain lookup ({ imageId, regionId? }) made in this turn of the event loop, by context object",
  bound: "the images looked up in one turn, per context object",
  lifetime: "this turn of the event loop; a failed request's entry as soon as it fails",
  size: () => undefined,
  reset: () => {
    lookupsThisTurn = new WeakMap();
  },
});

/** The result of an identical plain lookup made earlier in this turn with this context, if any. */
function repeatedThisTurn(args: unknown, context: LookupContext): Promise<Image> | undefined {
  const lookups = lookupsThisTurn.get(context);
  if (lookups === undefined || typeof args !== "object" || args === null) return undefined;
  const { imageId, regionId } = args as { imageId?: unknown; regionId?: unknown };
  if (typeof imageId !== "string" || (regionId !== undefined && typeof regionId !== "string")) return undefined;
  const hit = lookups.get(regionId)?.get(imageId);
  // The remembered lookup passed the checks with these exact strings; only another shape (another
  // key, such as a misspelt one or `require`, or another prototype) could fail them: it takes the full path.
  if (hit === undefined || Object.getPrototypeOf(args) !== Object.prototype) return undefined;
  for (const key in args) if (key !== "imageId" && key !== "regionId") return undefined;
  return hit;
}

/** Remembers a plain lookup's result for the rest of this turn, unless its request fails first. */
function rememberThisTurn(args: GetImageArgs, context: LookupContext, described: Promise<unknown>, result: Promise<Image>): void {
  let lookups = lookupsThisTurn.get(context);
  if (lookups === undefined) {
    lookupsThisTurn.set(context, (lookups = new Map<string | undefined, Map<string, Promise<Image>>>()));
    endTurnSoon();
  }
  let byImage = lookups.get(args.regionId);
  if (byImage === undefined) lookups.set(args.regionId, (byImage = new Map<string, Promise<Image>>()));
  const images = byImage;
  images.set(args.imageId, result);
  // As describeImage forgets a failure as it happens, so that the next lookup asks again. (`described`
  // is our own promise: a handler on it changes nothing the caller sees of `result`.)
  described.then(undefined, () => {
    if (images.get(args.imageId) === result) images.delete(args.imageId);
  });
}

/** Everything a lookup needs besides its arguments. */
export interface LookupContext {
  readonly options?: LookupOptions;
  readonly sources?: SettingsSources;
  readonly describe?: DescribeOptions;
  /** Applied to every failure before it reaches the caller (the SDK marks errors for Pulumi). */
  readonly mapError?: (err: unknown) => unknown;
}

/** Looks an image up and checks `require`; the single path every public entry point takes. */
export function lookupImage(rawArgs: unknown, context: LookupContext = {}): Promise<Image> {
  const again = repeatedThisTurn(rawArgs, context);
  if (again !== undefined) return again;
  let args: GetImageArgs;
  try {
    args = parseArgs(rawArgs);
  } catch (err) {
    return rejected((context.mapError ?? identity)(err));
  }
  // Plain lookups (parseArgs returns them as given) that ask what any lookup may share are remembered.
  const remember = args === rawArgs && context.describe === undefined && args.require === undefined;
  return lookupChecked(args, context, remember ? rememberThisTurn : undefined);
}

/** {@link lookupImage} for arguments already validated by {@link parseArgs} (they are not checked again). */
export function lookupValidImage(args: GetImageArgs, context: LookupContext = {}): Promise<Image> {
  return lookupChecked(args, context, undefined);
}

function lookupChecked(args: GetImageArgs, context: LookupContext, remember: typeof rememberThisTurn | undefined): Promise<Image> {
  const mapError = context.mapError ?? identity;
  let settings: Settings;
  try {
    settings = settingsFor(context.options, context.sources, args);
  } catch (err) {
    return rejected(mapError(err));
  }
  let regionId: string;
  try {
    regionId = regionOf(args, settings, context.sources?.caller);
  } catch (err) {
    return rejected(mapError(err));
  }
  const described = describeImage(settings, regionId, args.imageId, context.describe);
  const { require } = args;
  const imageId = args.imageId;
  const fail = (err: unknown): never => {
    throw mapError(err);
  };
  const check = (found: DescribedImage): Image => {
    try {
      return checked(found, require, regionId, imageId);
    } catch (err) {
      return fail(err);
    }
  };
  if (require !== undefined) return described.then(check, fail);
  // Lookups without `require` of one shared answer share its checked result too: a program's
  // burst of 2,000 lookups of 50 images does the checking 50 times, not 2,000.
  const memo = checkedByAnswer.get(described);
  let result: Promise<Image>;
  if (memo && memo.mapError === mapError) result = memo.result;
  else checkedByAnswer.set(described, { mapError, result: (result = described.then(check, fail)) });
  remember?.(args, context, described, result);
  return result;
}

const identity = (err: unknown): unknown => err;

/** The region to ask: the argument, else the settings' default; neither is an `InvalidArgumentError`. */
function regionOf(args: GetImageArgs, settings: Settings, caller: SettingsCaller | undefined): string {
  const regionId = args.regionId ?? settings.region;
  if (regionId !== undefined) return regionId;
  throw new InvalidArgumentError("regionId", "none was given and no default region is set", settingPlaces(caller, "region"), {
    imageId: args.imageId,
  });
}

/** What a refresh found: the image as it is now (any status), or its definite absence. */
export type Refreshed = { readonly image: Image; readonly gone?: undefined } | { readonly gone: true; readonly image?: undefined };

/**
 * Reads an image for a refresh, always afresh and whatever its status. Only a definite absence says
 * `gone`: describeImage answers not-found **and** describeImages, asked for the image by `ids` with
 * the same endpoint, region and credentials, answers a complete list without it. Every other
 * outcome — the two disagree, an error, a throttle, a time-out, an answer of the wrong shape —
 * throws, so whatever the caller keeps (a resource's state) stays as it was.
 */
export async function refreshImage(given: GetImageArgs, context: LookupContext = {}): Promise<Refreshed> {
  // Whatever state holds (an ID pinned by an older release, say) is checked before it reaches a path.
  const args = parseArgs(given);
  const settings = settingsFor(context.options, context.sources, args);
  const regionId = regionOf(args, settings, context.sources?.caller);
  const { imageId } = args;
  try {
    const found = await describeImage(settings, regionId, imageId, { ...context.describe, fresh: true });
    return { image: found.image };
  } catch (err) {
    if (!(err instanceof ImageNotFoundError)) throw err;
    const listed = await describeImagesPage(
      settings,
      regionId,
      { "ids.1": imageId, pageNumber: "1", pageSize: "10" },
      context.describe?.hooks,
    );
    const stillListed = listed.images.some((image) => image.imageId === imageId);
    // Complete: the page holds every image the answer counts (a server that ignores `ids` lists others).
    if (!stillListed && listed.totalCount <= listed.images.length) return { gone: true };
    throw new UnconfirmedAbsenceError(
      { regionId, imageId, ...(err.requestId !== undefined ? { requestId: err.requestId } : {}) },
      stillListed,
      listed.requestId,
    );
  }
}

/** A rejection with what was thrown: our code throws only Errors, and anything else is wrapped in one. */
function rejected(err: unknown): Promise<never> {
  return Promise.reject(err instanceof Error ? err : new Error(String(err)));
}
const checkedByAnswer = new WeakMap<Promise<DescribedImage>, { mapError: (err: unknown) => unknown; result: Promise<Image> }>();

/**
 * The image (with its region), once it meets `require`. Lookups of one answer share this object:
 * it is read-only by type (`Image` is deeply `readonly`), and nothing of ours changes it.
 */
function checked(found: DescribedImage, require: GetImageArgs["require"], regionId: string, imageId: string): Image {
  const { image, requestId } = found;
  const misses = findMisses(image, require);
  if (misses.length > 0) throw new ImageRequirementError({ regionId, imageId, ...(requestId ? { requestId } : {}) }, misses);
  return image;
}
