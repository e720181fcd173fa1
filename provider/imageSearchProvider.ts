/**
 * The ImageSearch dynamic provider's implementation: a search whose choice is pinned in state.
 * `check` records where the search runs — the region (`searchedRegionId`, the criteria's or else the
 * default region) and the endpoint (`searchedEndpoint`, never its credentials) — and `create`
 * searches there (as findImage) and pins the image it found. While the criteria, `searchTrigger`
 * and that place stay the same, later `up`s and `preview`s keep the pin; a change of any of them
 * replaces the resource: a new search, shown at preview. `refresh` re-reads only the pinned image by
 * ID in the region it was found in (only a definite absence drops the resource, so the next `up`
 * searches again, visibly) and, with `checkForNewer`, also searches there and reports
 * `latestImageId` without moving the pin.
 */
import { CheckFailure, checkFailureOf, isUnknown, unknownInputs } from "./imageProvider";
import { clip } from "./jdcloud/errors";
import { IMAGE_FIELDS, Image } from "./jdcloud/image";
import { resolveSettings } from "./jdcloud/settings";
import { refreshImage } from "./lookup";
import { SOURCES as sources, warnFromProvider } from "./providerConfig";
import { criteriaKeyNames, findImageFromCriteria, getImagesFromCriteria, parseFindCriteria } from "./search";

/** The inputs that make a search; a change to any of them searches again. */
const SEARCH_INPUTS = ["criteria", "searchTrigger"] as const;
type Props = Record<string, unknown>;

function inputsOf(news: Props): Props {
  const { criteria, searchTrigger, checkForNewer, searchedRegionId, searchedEndpoint, resourceName } = news;
  return {
    ...(criteria !== undefined ? { criteria } : {}),
    // The Pulumi resource name (from the SDK), so what a refresh reports names the resource.
    ...(typeof resourceName === "string" ? { resourceName } : {}),
    ...(searchTrigger !== undefined ? { searchTrigger } : {}),
    ...(checkForNewer !== undefined ? { checkForNewer } : {}),
    ...(searchedRegionId !== undefined ? { searchedRegionId } : {}),
    ...(searchedEndpoint !== undefined ? { searchedEndpoint } : {}),
  };
}

/**
 * Where a search of these (known, valid) criteria runs now: the criteria's region, else the default
 * region, and the endpoint without credentials, from the settings as they are now.
 */
function placeOf(criteria: { readonly regionId?: string | undefined }): { searchedRegionId?: string; searchedEndpoint: string } {
  const settings = resolveSettings({}, sources);
  const region = criteria.regionId ?? settings.region;
  return { ...(region !== undefined ? { searchedRegionId: region } : {}), searchedEndpoint: settings.endpoint };
}

/** The region a pinned search ran in: recorded by `check`, or (state written before it was) the pinned image's own. */
function searchedRegion(props: Props, criteria: { readonly regionId?: string | undefined }): string | undefined {
  const recorded = props["searchedRegionId"] ?? props["regionId"];
  return typeof recorded === "string" ? recorded : criteria.regionId;
}

function outputs(inputs: Props, image: Image, extra: Props): Props {
  return { ...inputs, ...Object.fromEntries(IMAGE_FIELDS.map((f) => [f, image[f] ?? null])), ...extra };
}

/**
 * Validates the criteria and, when they are all known, searches — so `pulumi preview` fails on
 * criteria nothing (or too much) matches, as ImageLookup's does on a missing image. Our errors
 * become check failures, printed once. (A search already pinned is not repeated by `up`: the
 * engine calls `create` only for a new or replaced search.)
 */
export async function check(olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }> {
  const inputs = inputsOf({ ...news, searchedRegionId: undefined, searchedEndpoint: undefined });
  const failures = inputFailures(news);
  if (failures.length > 0) return { inputs, failures };
  if (isUnknown(inputs["criteria"])) return { inputs, failures: [] };
  try {
    const criteria = parseFindCriteria(inputs["criteria"]);
    Object.assign(inputs, placeOf(criteria));
    const unchanged =
      olds["criteria"] !== undefined &&
      JSON.stringify(olds["criteria"]) === JSON.stringify(inputs["criteria"]) &&
      placeChanges(olds, inputs).length === 0;
    if (!unchanged) await findImageFromCriteria(criteria, { sources });
  } catch (err) {
    return { inputs, failures: [checkFailureOf(err)] };
  }
  return { inputs, failures: [] };
}

/** What an ImageSearch takes at its top level. */
const SEARCH_ARGS = ["criteria", "searchTrigger", "checkForNewer"] as const;

/**
 * What is wrong with an ImageSearch's top-level inputs, before its criteria: a key that is no input
 * (a criteria key written beside `criteria` is told where it goes), `criteria` missing, or a trigger
 * or `checkForNewer` of the wrong type. Never a protobuf error, never a key silently ignored.
 */
function inputFailures(news: Props): CheckFailure[] {
  const name = typeof news["resourceName"] === "string" ? `ImageSearch '${clip(news["resourceName"], 60)}'` : "ImageSearch";
  const criteriaKeys = criteriaKeyNames();
  const failures = unknownInputs(news, SEARCH_ARGS, name, (key) =>
    criteriaKeys.includes(key) ? `search criteria go in criteria: write criteria: { ${clip(key, 40)}: … }` : undefined,
  );
  if (news["criteria"] === undefined || news["criteria"] === null) {
    failures.push({
      property: "",
      reason: `${name} needs criteria, what to search for: e.g. criteria: { imageSource: "public", platform: "Ubuntu", select: "mostRecent" }`,
    });
  } else if (!isUnknown(news["criteria"]) && (typeof news["criteria"] !== "object" || Array.isArray(news["criteria"]))) {
    failures.push({
      property: "",
      reason: `${name}'s criteria must be an object of search criteria, not ${Array.isArray(news["criteria"]) ? "a list" : `a ${typeof news["criteria"]}`}`,
    });
  }
  const trigger = news["searchTrigger"];
  if (trigger !== undefined && trigger !== null && typeof trigger !== "string" && !isUnknown(trigger)) {
    failures.push({
      property: "",
      reason: `${name}'s searchTrigger must be a string (any value; a new one searches again), not a ${typeof trigger}`,
    });
  }
  const watch = news["checkForNewer"];
  if (watch !== undefined && watch !== null && typeof watch !== "boolean" && !isUnknown(watch)) {
    failures.push({
      property: "",
      reason: `${name}'s checkForNewer must be true or false, not ${typeof watch === "string" ? `'${clip(watch, 20)}'` : `a ${typeof watch}`}`,
    });
  }
  return failures;
}

/**
 * The place inputs that say the search would run somewhere else now. State written before the
 * place was recorded has the pinned image's region (`regionId`) and no endpoint: a missing endpoint
 * is no change, so an upgrade of the package never replaces a pin.
 */
function placeChanges(olds: Props, news: Props): string[] {
  const changed: string[] = [];
  const oldRegion = olds["searchedRegionId"] ?? olds["regionId"];
  if (oldRegion !== undefined && news["searchedRegionId"] !== undefined && oldRegion !== news["searchedRegionId"])
    changed.push("searchedRegionId");
  const oldEndpoint = olds["searchedEndpoint"];
  if (oldEndpoint !== undefined && news["searchedEndpoint"] !== undefined && oldEndpoint !== news["searchedEndpoint"])
    changed.push("searchedEndpoint");
  return changed;
}

/** Replace (search again) when the criteria, the trigger or the place change; `checkForNewer` alone is an update. */
export function diff(
  _id: string,
  olds: Props,
  news: Props,
): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
  const replaces = [
    ...SEARCH_INPUTS.filter((k) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null)),
    ...placeChanges(olds, news),
  ];
  const changes = replaces.length > 0 || Boolean(olds["checkForNewer"]) !== Boolean(news["checkForNewer"]);
  return Promise.resolve({ changes, replaces, deleteBeforeReplace: false });
}

/** Searches where `check` recorded, and pins what it found. */
export async function create(news: Props): Promise<{ id: string; outs: Props }> {
  const inputs = inputsOf(news);
  const criteria = parseFindCriteria(inputs["criteria"]);
  const region = searchedRegion(inputs, criteria);
  const here = region !== undefined ? { ...criteria, regionId: region } : criteria;
  const image = await findImageFromCriteria(here, { sources });
  const { ids } = await getImagesFromCriteria(withoutSelection(here), { sources });
  return {
    id: image.imageId,
    outs: outputs(inputs, image, {
      searchedAt: new Date().toISOString(),
      matchCount: ids.length,
      latestImageId: image.imageId,
      newerAvailable: false,
    }),
  };
}

/** `checkForNewer` changed: the pin stays. */
export function update(_id: string, olds: Props, news: Props): Promise<{ outs: Props }> {
  return Promise.resolve({ outs: { ...olds, ...inputsOf(news) } });
}

/**
 * Refresh: the pinned image as it is now, read in the region it was found in. Only a definite
 * absence drops the resource (describeImage says not-found and describeImages by ID confirms it);
 * any other failure fails the refresh and changes nothing. Settings that now point at another
 * endpoint than the one searched leave the resource as it was (the next preview shows the new
 * search). With `checkForNewer`, also what a search there would pick now.
 */
export async function read(id: string, props: Props): Promise<{ id: string; props: Props }> {
  const criteria = parseFindCriteria(props["criteria"]);
  const recordedEndpoint = props["searchedEndpoint"];
  if (typeof recordedEndpoint === "string" && resolveSettings({}, sources).endpoint !== recordedEndpoint) return { id, props };
  const region = searchedRegion(props, criteria);
  const refreshed = await refreshImage({ imageId: id, ...(region !== undefined ? { regionId: region } : {}) }, { sources });
  if (refreshed.gone) return { id: "", props: {} };
  let latest: Props = { latestImageId: props["latestImageId"] ?? id, newerAvailable: props["newerAvailable"] ?? false };
  if (props["checkForNewer"] === true) {
    const now = await findImageFromCriteria(region !== undefined ? { ...criteria, regionId: region } : criteria, { sources, fresh: true });
    latest = { latestImageId: now.imageId, newerAvailable: now.imageId !== id };
    // The refresh's own display shows no change (the pin, the only input that matters, stays): say it here.
    if (now.imageId !== id) warnFromProvider(newerImageNote(props["resourceName"], id, now));
  }
  const place = {
    searchedRegionId: refreshed.image.regionId,
    ...(typeof recordedEndpoint === "string" ? { searchedEndpoint: recordedEndpoint } : {}),
  };
  return {
    id,
    props: outputs({ ...inputsOf(props), ...place }, refreshed.image, {
      searchedAt: props["searchedAt"],
      matchCount: props["matchCount"],
      ...latest,
    }),
  };
}

/** What a refresh that found a newer image tells the user. */
export function newerImageNote(resourceName: unknown, pinned: string, newer: Image): string {
  const who = typeof resourceName === "string" ? `ImageSearch '${clip(resourceName)}'` : "An ImageSearch";
  return (
    `${who} keeps its pin ${pinned}, but a newer image meets its criteria: ${newer.imageId} ('${clip(newer.name, 80)}'` +
    `${newer.createTime ? `, created ${clip(newer.createTime, 40)}` : ""}); change its searchTrigger (or criteria) to search again and move the pin.`
  );
}

function withoutSelection(criteria: ReturnType<typeof parseFindCriteria>): Props {
  const { select: _select, allowUnsafe: _allowUnsafe, ...rest } = criteria;
  return rest;
}

/** Forgetting a search changes nothing in JD Cloud. */
export function destroy(): Promise<void> {
  return Promise.resolve();
}
