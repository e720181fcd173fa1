/**
 * Image search on describeImages, shared by `getImages` and `findImage`: validate the criteria,
 * scan every page (the first for `totalCount`, the rest concurrently within the in-flight bound),
 * re-check every criterion on each image (a server that ignores a filter must not widen the
 * result), order newest first (ties by image ID), and pick one image when asked.
 */
import type { z } from "zod";
import { credentialsFingerprint, describeImagesPage, ImagesPage } from "./jdcloud/client";
import {
  AmbiguousImageMatchError,
  CriterionCount,
  InvalidArgumentError,
  InvalidResponseError,
  JdcloudImageError,
  NoImageMatchError,
  SearchTarget,
  clip,
} from "./jdcloud/errors";
import type { Image } from "./jdcloud/image";
import { ApiImage, schemas } from "./jdcloud/wire";
import type { FindImageCriteriaSchema, ImageCriteriaSchema } from "./searchSchemas";
import { LookupOptions, Settings, SettingsSources, resolveSettings, settingPlaces } from "./jdcloud/settings";
import { deploymentMemory, registerState } from "./jdcloud/state";

/** A page of describeImages as large as JD Cloud allows. */
export const SEARCH_PAGE_SIZE = 100;
/** The most images a search reads unless `maxResults` says otherwise. */
export const DEFAULT_MAX_RESULTS = 1000;

/** The longest `nameRegex`, in characters. */
export const NAME_REGEX_MAX = 1000;

/** How `findImage` picks one image from several matches. */
export const SELECTIONS = ["unique", "mostRecent", "highestVersion"] as const;

/** Validated search criteria (see the SDK's `ImageCriteria` for each field). */
export type ImageCriteria = z.output<typeof ImageCriteriaSchema>;
/** Validated findImage criteria. */
export type FindImageCriteria = z.output<typeof FindImageCriteriaSchema>;

/** The criteria schemas (and zod), loaded on a search's first use: a program that only looks images up never needs them. */
function criteriaSchemas(): typeof import("./searchSchemas") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose, see provider/jdcloud/wire.ts
  return (loadedSchemas ??= require("./searchSchemas") as typeof import("./searchSchemas"));
}
let loadedSchemas: typeof import("./searchSchemas") | undefined;

/** The result of a search: every match, newest first, and their IDs. */
export interface ImageSearchResult {
  readonly regionId: string;
  readonly images: readonly Image[];
  readonly ids: readonly string[];
}

/** Everything a search needs besides its criteria. */
export interface SearchContext {
  readonly options?: LookupOptions;
  readonly sources?: SettingsSources;
  /** Scan afresh even when this process has the answer (refresh). Default false. */
  readonly fresh?: boolean;
}

function invalid(argument: string, problem: string, fix: string): InvalidArgumentError {
  return new InvalidArgumentError(argument, problem, fix, { subject: "the image search" });
}

/** Validates criteria with `schema`, then the rules across fields; throws `InvalidArgumentError`. */
function parseCriteria<T extends ImageCriteria>(schema: z.ZodType<T>, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const { path, problem, suggestion } = schemas().inputProblem(schema, parsed.error, raw);
    throw invalid(path ? `criteria.${path}` : "criteria", problem, suggestion ?? "see the ImageCriteria documentation");
  }
  const criteria = parsed.data;
  if (criteria.imageSource === undefined && criteria.ids === undefined) {
    throw invalid(
      "criteria",
      "neither imageSource nor ids was given",
      "say where to search: imageSource ('public', 'private', ...) or a list of ids",
    );
  }
  if (criteria.nameRegex !== undefined) wholeNameMatcher(criteria.nameRegex);
  return criteria;
}

/** RE2JS (a port of RE2: matching in time linear in the name), loaded on the first `nameRegex`. */
function re2(): typeof import("re2js") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred: most programs never match a name pattern
  return (loadedRe2 ??= require("re2js") as typeof import("re2js"));
}
let loadedRe2: typeof import("re2js") | undefined;

/**
 * A matcher of the **whole** name for a `nameRegex`, in RE2 syntax: names are chosen by strangers
 * (community images), and a backtracking engine can take exponential time on a crafted one, which
 * no time-out can stop. RE2 has no backreferences or lookaround; a pattern it refuses is an
 * `InvalidArgumentError`, before any request.
 */
function wholeNameMatcher(pattern: string): (name: string) => boolean {
  const { RE2JS } = re2();
  let compiled: InstanceType<typeof RE2JS>;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (err) {
    throw invalid(
      "criteria.nameRegex",
      `'${clip(pattern)}' is not a regular expression in RE2 syntax (${clip(err instanceof Error ? err.message : String(err), 120)})`,
      "fix the pattern: RE2 has no backreferences (\\1) or lookaround ((?=, (?!, (?<=); it is matched against the whole name",
    );
  }
  return (name) => compiled.matches(name);
}

/** A criteria object as one line for messages, in a fixed order. */
function describeCriteria(criteria: ImageCriteria): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(criteria)) {
    if (value === undefined || key === "regionId") continue;
    parts.push(`${key}=${Array.isArray(value) ? value.join("|") : String(value)}`);
  }
  return parts.join(" ");
}

/** The number written by `length` ASCII digits of `text` from `at`, or -1 when one is not a digit. */
function digitsAt(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Days in a month of the proleptic Gregorian calendar. */
function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * A calendar time as ms since the epoch, or `undefined` when it is no real time (February 30th,
 * hour 24). The year is taken as written: `0099` is the year 99, not 1999 (as `Date.UTC` would read it).
 */
function timeOf(y: number, mo: number, d: number, h: number, mi: number, sec: number, offsetMinutes: number): number | undefined {
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59)
    return undefined;
  if (y >= 100) return Date.UTC(y, mo - 1, d, h, mi - offsetMinutes, sec);
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi - offsetMinutes, sec, 0);
  return date.getTime();
}

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * `YYYY-MM-DD HH:mm:ss` (JD Cloud's form, read as UTC+8, its zone) or ISO 8601 with a zone, as ms;
 * `undefined` for anything else, a date that does not exist among them.
 */
export function parseCreateTime(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  // JD Cloud's own form, read digit by digit: a search orders thousands of them.
  if (text.length === 19 && text[4] === "-" && text[7] === "-" && text[10] === " " && text[13] === ":" && text[16] === ":") {
    const y = digitsAt(text, 0, 4);
    const mo = digitsAt(text, 5, 2);
    const d = digitsAt(text, 8, 2);
    const h = digitsAt(text, 11, 2);
    const mi = digitsAt(text, 14, 2);
    const sec = digitsAt(text, 17, 2);
    return timeOf(y, mo, d, h, mi, sec, 8 * 60);
  }
  const iso = ISO_TIME.exec(text);
  if (!iso) return undefined;
  const [, y, mo, d, h, mi, sec, sign, oh, om] = iso;
  const offset = sign === undefined ? 0 : (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om));
  if (sign !== undefined && (Number(oh) > 23 || Number(om) > 59)) return undefined;
  return timeOf(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(sec), offset);
}

/** The version numbers in a name, e.g. `[22, 4]` for "Ubuntu 22.04 LTS"; empty when there are none. */
export function versionOf(name: string): number[] {
  const match = /\d+(?:\.\d+)*/.exec(name);
  return match ? match[0].split(".").map(Number) : [];
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** The query describeImages is sent: every criterion the API filters on. */
function queryOf(criteria: ImageCriteria, pageNumber: number): Record<string, string> {
  const query: Record<string, string> = { pageNumber: String(pageNumber), pageSize: String(SEARCH_PAGE_SIZE) };
  if (criteria.imageSource !== undefined) query["imageSource"] = criteria.imageSource;
  if (typeof criteria.platform === "string") query["platform"] = criteria.platform;
  if (criteria.name !== undefined) query["imageName"] = criteria.name;
  if (criteria.architecture !== undefined) query["architecture"] = criteria.architecture;
  criteria.ids?.forEach((id, i) => (query[`ids.${i + 1}`] = id));
  return query;
}

/** Every criterion checked on the client, in order, each with the test an image must pass. */
function clientChecks(criteria: ImageCriteria): Array<[string, (image: ApiImage) => boolean]> {
  const checks: Array<[string, (image: ApiImage) => boolean]> = [];
  const list = (v: string | readonly string[]): readonly string[] => (typeof v === "string" ? [v] : v);
  if (criteria.ids) {
    const ids = new Set(criteria.ids);
    checks.push(["ids", (i) => ids.has(i.imageId)]);
  }
  if (criteria.imageSource !== undefined) checks.push(["imageSource", (i) => i.imageSource === criteria.imageSource]);
  if (criteria.platform !== undefined) {
    const platforms = list(criteria.platform);
    checks.push(["platform", (i) => platforms.includes(i.platform)]);
  }
  if (criteria.architecture !== undefined) checks.push(["architecture", (i) => i.architecture === criteria.architecture]);
  if (criteria.osType !== undefined) checks.push(["osType", (i) => i.osType === criteria.osType]);
  if (criteria.name !== undefined) checks.push(["name", (i) => i.name === criteria.name]);
  if (criteria.nameRegex !== undefined) {
    // The pattern must match the whole name, not a part of it.
    const matches = wholeNameMatcher(criteria.nameRegex);
    checks.push(["nameRegex", (i) => matches(i.name)]);
  }
  const status = criteria.status ?? "ready";
  if (status !== "any") checks.push(["status", (i) => i.status === status]);
  if (criteria.maxSystemDiskSizeGB !== undefined) {
    const max = criteria.maxSystemDiskSizeGB;
    checks.push(["maxSystemDiskSizeGB", (i) => i.systemDiskSizeGB <= max]);
  }
  if (criteria.ownerPins) {
    const owners = new Set(criteria.ownerPins);
    checks.push(["ownerPins", (i) => i.ownerPin !== undefined && owners.has(i.ownerPin)]);
  }
  return checks;
}

/**
 * Everything the server returned for the criteria it filters on, all pages, without repeats. Sends
 * no more pages than `totalCount` (itself at most `maxResults`) justifies; a page with more images
 * than asked for, or than its `totalCount` leaves room for, is refused; pages that do not add up to
 * `totalCount` distinct images (a server that ignores `pageNumber`, a catalogue that changed while it
 * was read) are read once more, then refused. The first page that fails stops every other.
 */
async function scan(
  settings: Settings,
  regionId: string,
  criteria: ImageCriteria,
  target: SearchTarget,
): Promise<{ images: ApiImage[]; totalCount: number }> {
  const limit = criteria.maxResults ?? DEFAULT_MAX_RESULTS;
  for (let round = 1; ; round++) {
    const stop = new AbortController();
    const page = (n: number): Promise<ImagesPage> =>
      describeImagesPage(settings, regionId, queryOf(criteria, n), undefined, stop.signal).then((p) => checkedPage(p, n, regionId));
    let all: ImagesPage[];
    try {
      const first = await page(1);
      if (first.totalCount > limit) {
        throw invalid(
          "criteria",
          `${first.totalCount} images in region ${regionId} match ${clip(target.criteria, 200)}, more than maxResults (${limit})`,
          "narrow the criteria (platform, name, ids), or raise maxResults",
        );
      }
      const rest: Promise<ImagesPage>[] = [];
      for (let n = 2; n <= Math.ceil(first.totalCount / SEARCH_PAGE_SIZE); n++) rest.push(page(n));
      all = [first, ...(await Promise.all(rest))];
    } catch (err) {
      stop.abort();
      throw err;
    }
    const totalCount = all[0]?.totalCount ?? 0;
    const seen = new Map<string, ApiImage>();
    for (const p of all) for (const image of p.images) if (!seen.has(image.imageId)) seen.set(image.imageId, image);
    if (all.every((p) => p.totalCount === totalCount) && seen.size === totalCount) return { images: [...seen.values()], totalCount };
    if (round >= 2) {
      throw new JdcloudImageError(
        `JD Cloud's describeImages pages for region ${regionId} did not add up twice (totalCount ${[...new Set(all.map((p) => p.totalCount))].join(", ")}, ` +
          `${seen.size} distinct images in ${all.length} page${all.length === 1 ? "" : "s"}): the catalogue changed while it was read, or the ` +
          "server does not page; run again, and report it with the request IDs if it persists.",
        { regionId },
      );
    }
  }
}

/** A page as the scan asked for it: no more images than the page size, nor than its `totalCount` leaves for page `n`. */
function checkedPage(page: ImagesPage, n: number, regionId: string): ImagesPage {
  const room = Math.min(SEARCH_PAGE_SIZE, Math.max(0, page.totalCount - (n - 1) * SEARCH_PAGE_SIZE));
  if (page.images.length > room) {
    throw new InvalidResponseError(
      { regionId, ...(page.requestId ? { requestId: page.requestId } : {}) },
      200,
      "result.images",
      `has ${page.images.length} images on page ${n}, more than the ${room} that page size ${SEARCH_PAGE_SIZE} and totalCount ${page.totalCount} leave room for`,
      "describeImages",
    );
  }
  return readCreateTimes(page);
}

/** Each scanned image's createTime as ms, read as its page arrives (while later pages are still on the way). */
const createTimes = new WeakMap<ApiImage, number | undefined>();
registerState({
  name: "search: createTimes read",
  holds: "each scanned image's createTime as ms, by image object",
  bound: "one per live image object (a WeakMap)",
  lifetime: "as long as its image",
  size: () => undefined,
  // Derived from the image object itself: nothing to forget.
  reset: () => undefined,
});

function readCreateTimes(page: ImagesPage): ImagesPage {
  for (const image of page.images) createTimes.set(image, parseCreateTime(image.createTime));
  return page;
}

/** Orders images newest first, ties by image ID ascending; a createTime that cannot be read is an error. */
function newestFirst(images: readonly ApiImage[], regionId: string): ApiImage[] {
  const keyed = images.map((image, i) => {
    const ms = createTimes.has(image) ? createTimes.get(image) : parseCreateTime(image.createTime);
    if (ms === undefined) {
      throw new InvalidResponseError(
        { regionId, imageId: image.imageId },
        200,
        `result.images[${i}].createTime`,
        `is ${image.createTime === undefined ? "missing" : `'${clip(image.createTime, 40)}'`}, not 'YYYY-MM-DD HH:mm:ss' or ISO 8601`,
        "describeImages",
      );
    }
    return { image, ms, id: image.imageId };
  });
  keyed.sort((a, b) => b.ms - a.ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return keyed.map((k) => k.image);
}

/** Searches: every match, newest first, with how many the server returned and each criterion removed. */
async function searchImages(
  criteria: ImageCriteria,
  context: SearchContext,
): Promise<{ result: ImageSearchResult; returned: number; removedBy: CriterionCount[]; target: SearchTarget }> {
  const settings = resolveSettings(context.options, context.sources);
  const regionId = criteria.regionId ?? settings.region;
  if (regionId === undefined) {
    throw invalid("criteria.regionId", "none was given and no default region is set", settingPlaces(context.sources?.caller, "region"));
  }
  const target: SearchTarget = { regionId, criteria: describeCriteria(criteria) };
  const { images } = await shared(settings, regionId, criteria, target, context.fresh ?? false);
  let remaining = images;
  const removedBy: CriterionCount[] = [];
  for (const [criterion, passes] of clientChecks(criteria)) {
    const kept = remaining.filter(passes);
    removedBy.push({ criterion, removed: remaining.length - kept.length });
    remaining = kept;
  }
  const ordered = newestFirst(remaining, regionId).map((image): Image => ({ ...image, regionId }));
  return { result: { regionId, images: ordered, ids: ordered.map((i) => i.imageId) }, returned: images.length, removedBy, target };
}

// Identical searches in one deployment share one scan, while it runs and after (a failure is forgotten).
const SCAN_LIMIT = 64;
type Scan = Promise<{ images: ApiImage[]; totalCount: number }>;
const scans = deploymentMemory(
  {
    name: "search: shared scans",
    holds: "every image describeImages returned, by endpoint, region, the criteria sent and a credentials fingerprint",
    bound: `${SCAN_LIMIT} searches, oldest dropped first; a failure is forgotten as it happens`,
    size: (memory) => memory.size,
  },
  () => new Map<string, Scan>(),
);

function shared(settings: Settings, regionId: string, criteria: ImageCriteria, target: SearchTarget, fresh: boolean): Scan {
  const memory = scans();
  const key = JSON.stringify([
    settings.endpoint,
    regionId,
    credentialsFingerprint(settings),
    queryOf(criteria, 1),
    criteria.maxResults ?? DEFAULT_MAX_RESULTS,
  ]);
  const known = fresh ? undefined : memory.get(key);
  if (known) return known;
  const pending = scan(settings, regionId, criteria, target).catch((err: unknown) => {
    if (memory.get(key) === pending) memory.delete(key);
    throw err;
  });
  if (memory.size >= SCAN_LIMIT) memory.delete(memory.keys().next().value as string);
  memory.set(key, pending);
  return pending;
}

/** The names of findImage's criteria. */
export function criteriaKeyNames(): string[] {
  return Object.keys(criteriaSchemas().FindImageCriteriaSchema.shape);
}

/** Validates findImage criteria; throws `InvalidArgumentError` (for ImageSearch's check and create). */
export function parseFindCriteria(raw: unknown): FindImageCriteria {
  return parseCriteria(criteriaSchemas().FindImageCriteriaSchema, raw);
}

/** `getImages`: every image meeting the criteria, newest first (ties by image ID). An empty result is a result. */
export async function getImagesFromCriteria(raw: unknown, context: SearchContext = {}): Promise<ImageSearchResult> {
  const criteria = parseCriteria(criteriaSchemas().ImageCriteriaSchema, raw);
  return (await searchImages(criteria, context)).result;
}

const UNSAFE_SOURCES: ReadonlySet<string> = new Set(["community", "thirdparty", "shared"]);

/** `findImage`: exactly one image, picked by `select`; refuses to pick a stranger's newest image. */
export async function findImageFromCriteria(raw: unknown, context: SearchContext = {}): Promise<Image> {
  const criteria = parseCriteria(criteriaSchemas().FindImageCriteriaSchema, raw);
  const select = criteria.select ?? "unique";
  if (
    select !== "unique" &&
    !criteria.allowUnsafe &&
    criteria.ownerPins === undefined &&
    criteria.ids === undefined &&
    UNSAFE_SOURCES.has(criteria.imageSource ?? "")
  ) {
    throw invalid(
      "criteria.select",
      `'${select}' over ${criteria.imageSource} images without ownerPins or ids could pick an image a stranger published`,
      "add ownerPins (the publishers you trust) or ids, or set allowUnsafe: true",
    );
  }
  const { result, returned, removedBy, target } = await searchImages(criteria, context);
  const [first, second] = result.images;
  if (!first) throw new NoImageMatchError(target, returned, removedBy);
  if (!second || select === "mostRecent") return first;
  if (select === "highestVersion") {
    // Stable over newest-first order: equal versions keep the newest first.
    return [...result.images].sort((a, b) => compareVersions(versionOf(b.name), versionOf(a.name)))[0] ?? first;
  }
  throw new AmbiguousImageMatchError(target, result.images.length, result.images);
}
