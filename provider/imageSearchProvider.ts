/**
 * The ImageSearch dynamic provider's implementation: a search whose choice is pinned in state.
 * `create` searches (as findImage) and pins the image it found; while the criteria and
 * `searchTrigger` stay the same, later `up`s and `preview`s keep the pin; `refresh` re-reads only
 * the pinned image by ID (a vanished image drops the resource, so the next `up` searches again,
 * visibly) and, with `checkForNewer`, also searches and reports `latestImageId` without moving the
 * pin. Changing the criteria or `searchTrigger` replaces the resource: a new search.
 */
import { CheckFailure, isUnknown } from "./imageProvider";
import { ImageNotFoundError, JdcloudImageError } from "./jdcloud/errors";
import { IMAGE_FIELDS, Image } from "./jdcloud/image";
import { lookupValidImage } from "./lookup";
import { SOURCES as sources } from "./providerConfig";
import { findImageFromCriteria, getImagesFromCriteria, parseFindCriteria } from "./search";

/** The inputs that make a search; a change to any of them searches again. */
const SEARCH_INPUTS = ["criteria", "searchTrigger"] as const;

type Props = Record<string, unknown>;

function inputsOf(news: Props): Props {
  const { criteria, searchTrigger, checkForNewer } = news;
  return {
    criteria,
    ...(searchTrigger !== undefined ? { searchTrigger } : {}),
    ...(checkForNewer !== undefined ? { checkForNewer } : {}),
  };
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
  const inputs = inputsOf(news);
  if (isUnknown(inputs["criteria"])) return { inputs, failures: [] };
  try {
    const criteria = parseFindCriteria(inputs["criteria"]);
    const unchanged = olds["criteria"] !== undefined && JSON.stringify(olds["criteria"]) === JSON.stringify(inputs["criteria"]);
    if (!unchanged) await findImageFromCriteria(criteria, { sources });
  } catch (err) {
    if (err instanceof JdcloudImageError) return { inputs, failures: [{ property: "", reason: err.message }] };
    throw err;
  }
  return { inputs, failures: [] };
}

/** Replace (search again) when the criteria or the trigger change; `checkForNewer` alone is an update. */
export function diff(
  _id: string,
  olds: Props,
  news: Props,
): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
  const replaces = SEARCH_INPUTS.filter((k) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null));
  const changes = replaces.length > 0 || Boolean(olds["checkForNewer"]) !== Boolean(news["checkForNewer"]);
  return Promise.resolve({ changes, replaces: [...replaces], deleteBeforeReplace: false });
}

/** Searches and pins what it found. */
export async function create(news: Props): Promise<{ id: string; outs: Props }> {
  const inputs = inputsOf(news);
  const criteria = parseFindCriteria(inputs["criteria"]);
  const image = await findImageFromCriteria(criteria, { sources });
  const { ids } = await getImagesFromCriteria(withoutSelection(criteria), { sources });
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

/** Refresh: the pinned image as it is now (gone: dropped), and with `checkForNewer` what a search would pick now. */
export async function read(id: string, props: Props): Promise<{ id: string; props: Props }> {
  const criteria = parseFindCriteria(props["criteria"]);
  let image: Image;
  try {
    image = await lookupValidImage(
      { imageId: id, ...(criteria.regionId ? { regionId: criteria.regionId } : {}), require: { status: "any" } },
      { sources, describe: { fresh: true } },
    );
  } catch (err) {
    if (err instanceof ImageNotFoundError) return { id: "", props: {} };
    throw err;
  }
  let latest: Props = { latestImageId: props["latestImageId"] ?? id, newerAvailable: props["newerAvailable"] ?? false };
  if (props["checkForNewer"] === true) {
    const now = await findImageFromCriteria(criteria, { sources, fresh: true });
    latest = { latestImageId: now.imageId, newerAvailable: now.imageId !== id };
  }
  return { id, props: outputs(inputsOf(props), image, { searchedAt: props["searchedAt"], matchCount: props["matchCount"], ...latest }) };
}

function withoutSelection(criteria: ReturnType<typeof parseFindCriteria>): Props {
  const { select: _select, allowUnsafe: _allowUnsafe, ...rest } = criteria;
  return rest;
}

/** Forgetting a search changes nothing in JD Cloud. */
export function destroy(): Promise<void> {
  return Promise.resolve();
}
