/**
 * The whole lookup, shared by `getImage` and the dynamic provider: validate the
 * arguments, resolve settings, read the image, check the requirements.
 */
import { z } from "zod";
import { describeImage, DescribeOptions } from "./client";
import { InvalidArgumentError, LookupTarget, clip } from "./errors";
import { assertRequirements } from "./requirements";
import { GetImageArgs, GetImageArgsSchema, Image, formatIssuePath } from "./schemas";
import { LookupOptions, Settings, SettingsSources, resolveSettings } from "./settings";

const FIXES: Record<string, string> = {
  imageId: "pass the ID as JD Cloud shows it, e.g. 'img-h8ly274zg9'",
  regionId: "pass a region ID such as 'cn-north-1'",
};

/** Validates `getImage` arguments; throws `InvalidArgumentError` naming the first bad one. */
export function parseArgs(args: unknown): GetImageArgs {
  const parsed = GetImageArgsSchema.safeParse(args);
  if (parsed.success) return parsed.data;
  throw argumentError(parsed.error, args);
}

function argumentError(error: z.ZodError, args: unknown): InvalidArgumentError {
  const issue = error.issues[0];
  const path = issue ? formatIssuePath(issue.path) : "args";
  const value = valueAt(args, issue?.path ?? []);
  const shown = typeof value === "string" ? `'${clip(value)}'` : clip(JSON.stringify(value) ?? "undefined");
  const problem = issue?.code === "unrecognized_keys" ? clip(issue.message, 200) : `${shown} ${issue?.message ?? "is invalid"}`;
  const fix = FIXES[path] ?? "see the ImageRequirements and GetImageArgs documentation";
  const target = typeof args === "object" && args !== null ? (args as Record<string, unknown>) : {};
  return new InvalidArgumentError(path || "args", problem, fix, {
    ...(typeof target["imageId"] === "string" && path !== "imageId" ? { imageId: clip(target["imageId"]) } : {}),
  });
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const part of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

const NO_OPTIONS: LookupOptions = Object.freeze({});
let burst = new WeakMap<SettingsSources, WeakMap<LookupOptions, Settings>>();
let burstClearing = false;

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
  if (hit) return hit;
  const settings = resolveSettings(options, sources, target);
  if (!bySources) burst.set(sources, (bySources = new WeakMap()));
  bySources.set(key, settings);
  if (!burstClearing) {
    burstClearing = true;
    setImmediate(() => {
      burst = new WeakMap();
      burstClearing = false;
    });
  }
  return settings;
}

/** Everything a lookup needs besides its arguments. */
export interface LookupContext {
  readonly options?: LookupOptions;
  readonly sources?: SettingsSources;
  readonly describe?: DescribeOptions;
}

/** An image and the request ID of the answer it came in. */
export interface LookedUpImage {
  readonly image: Image;
  readonly requestId?: string;
}

/** Looks an image up and checks `require`; the single path every public entry point takes. */
export async function lookupImage(rawArgs: unknown, context: LookupContext = {}): Promise<LookedUpImage> {
  const args = parseArgs(rawArgs);
  const settings = settingsFor(context.options, context.sources, {
    imageId: args.imageId,
    ...(args.regionId ? { regionId: args.regionId } : {}),
  });
  const regionId = args.regionId ?? settings.region;
  if (regionId === undefined) {
    throw new InvalidArgumentError(
      "regionId",
      "none was given and no default region is set",
      "pass regionId, or set a default region with `pulumi config set jdcloud:region cn-north-1`, JDCLOUD_REGION, " +
        "region_id in the jdc profile, or getImage's opts.region",
      { imageId: args.imageId },
    );
  }
  const { image, requestId } = await describeImage(settings, regionId, args.imageId, context.describe);
  assertRequirements(image, args.require, { regionId, imageId: args.imageId, ...(requestId ? { requestId } : {}) });
  return { image: { ...image, regionId }, ...(requestId ? { requestId } : {}) };
}
