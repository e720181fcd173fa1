/**
 * The wire image and the lookup's inputs without zod: ID patterns, the types, and readers of
 * answers already in their parsed form. A lookup whose arguments and answer are plain takes only
 * these; zod and the schemas (schemas.ts, which re-exports all of this) load on first use of a
 * slower path, see {@link schemas}. Loading zod costs a fresh process ~35 ms and ~6 MB of garbage,
 * which a program of plain lookups then never pays (bench run 1, cold).
 */
import type { Image, ImageRequirements, Snapshot } from "./image";
import type * as Schemas from "./schemas";

export type { Image, ImageRequirements, Snapshot } from "./image";

/** `img-` plus lowercase letters and digits, at most 64 characters in all. */
export const IMAGE_ID_PATTERN = /^img-[a-z0-9]{1,60}$/;
/** A legacy image ID: a lowercase UUID. */
export const LEGACY_IMAGE_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A region ID such as `cn-north-1`. */
export const REGION_ID_PATTERN = /^[a-z]{2,4}-[a-z]{2,12}-[0-9]{1,2}$/;

/** The API's Image exactly as `describeImage` returns it (after parsing): an {@link Image} without `regionId`. */
export type ApiImage = Omit<Image, "regionId">;

/** The plain arguments of `getImage`, as validated. */
export interface GetImageArgs {
  readonly imageId: string;
  readonly regionId?: string;
  readonly require?: ImageRequirements;
}

/** A zod issue path as a readable property path, e.g. `result.image.snapshots[0].diskSize`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** The zod schemas, loaded on first call (see the module's comment). */
export function schemas(): typeof Schemas {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose: most processes never need zod
  return (loaded ??= require("./schemas") as typeof Schemas);
}
let loaded: typeof Schemas | undefined;

/**
 * How a field of the wire image is read: the shapes `ApiImageSchema` and `SnapshotSchema` use.
 * `schema` fields (the public `vm` API's nested disks and counts) are read by the schema only: an
 * answer that has one takes the schema's path; the `coc-vm` answers of the common case never do.
 */
type FieldKind = "string" | "optionalString" | "count" | "snapshots" | "schema";

// The kind of every field, checked complete by the Record types: a field added to Image or Snapshot
// without a kind here does not compile.
const IMAGE_KINDS: Record<keyof ApiImage, FieldKind> = {
  imageId: "string",
  partnerImageId: "optionalString",
  name: "string",
  platform: "string",
  architecture: "optionalString",
  systemDiskSizeGB: "count",
  imageSource: "optionalString",
  osType: "string",
  status: "string",
  createTime: "optionalString",
  desc: "optionalString",
  ownerPin: "optionalString",
  snapshots: "snapshots",
  osVersion: "optionalString",
  sizeMB: "schema",
  loginName: "optionalString",
  launchPermission: "optionalString",
  rootDeviceType: "optionalString",
  snapshotId: "optionalString",
  systemDisk: "schema",
  dataDisks: "schema",
  bootMode: "optionalString",
};
const SNAPSHOT_KINDS: Record<keyof Snapshot, Exclude<FieldKind, "snapshots" | "schema">> = {
  diskSnapshotId: "string",
  diskSnapshotName: "optionalString",
  diskSize: "count",
  diskCategory: "string",
  diskType: "optionalString",
};

const optionalStringOk = (v: unknown): v is string | undefined => v === undefined || typeof v === "string";
const countOk = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** A Snapshot already in its parsed form, copied without unknown fields; `undefined` for anything else. */
function readSnapshotFast(value: unknown): Snapshot | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<keyof Snapshot, unknown>;
  const { diskSnapshotId, diskSize, diskCategory } = v;
  if (typeof diskSnapshotId !== "string" || typeof diskCategory !== "string" || !countOk(diskSize)) return undefined;
  const out: { -readonly [K in keyof Snapshot]: Snapshot[K] } = { diskSnapshotId, diskSize, diskCategory };
  for (const field of OPTIONAL_SNAPSHOT_STRINGS) {
    const text = v[field];
    if (!optionalStringOk(text)) return undefined;
    if (text !== undefined) out[field] = text;
  }
  return out;
}

/** An image already in its parsed form, copied without unknown fields; `undefined` for anything else. */
function readImageFast(value: unknown): ApiImage | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<keyof ApiImage, unknown>;
  const { imageId, name, platform, osType, status, systemDiskSizeGB, snapshots } = v;
  if (typeof imageId !== "string" || typeof name !== "string" || typeof platform !== "string") return undefined;
  if (typeof osType !== "string" || typeof status !== "string" || !countOk(systemDiskSizeGB) || !Array.isArray(snapshots)) return undefined;
  const out: { -readonly [K in keyof ApiImage]: ApiImage[K] } = {
    imageId,
    name,
    platform,
    systemDiskSizeGB,
    osType,
    status,
    snapshots: [],
  };
  for (const field of OPTIONAL_IMAGE_STRINGS) {
    const text = v[field];
    if (text === undefined) continue;
    if (typeof text !== "string") return undefined;
    out[field] = text;
  }
  for (const field of SCHEMA_FIELDS) if (v[field] !== undefined) return undefined;
  const read: Snapshot[] = [];
  for (const item of snapshots) {
    const snapshot = readSnapshotFast(item);
    if (!snapshot) return undefined;
    read.push(snapshot);
  }
  out.snapshots = read;
  return out;
}

// Which fields are optional strings: every field has a kind in IMAGE_KINDS / SNAPSHOT_KINDS
// (compile-checked complete), and the readers above read the others by name.
const OPTIONAL_SNAPSHOT_STRINGS = (Object.keys(SNAPSHOT_KINDS) as Array<keyof Snapshot>).filter(
  (f) => SNAPSHOT_KINDS[f] === "optionalString",
) as Array<"diskSnapshotName" | "diskType">;
const OPTIONAL_IMAGE_STRINGS = (Object.keys(IMAGE_KINDS) as Array<keyof ApiImage>).filter(
  (f) => IMAGE_KINDS[f] === "optionalString",
) as Array<
  | "partnerImageId"
  | "architecture"
  | "imageSource"
  | "createTime"
  | "desc"
  | "ownerPin"
  | "osVersion"
  | "loginName"
  | "launchPermission"
  | "rootDeviceType"
  | "snapshotId"
  | "bootMode"
>;
const SCHEMA_FIELDS = (Object.keys(IMAGE_KINDS) as Array<keyof ApiImage>).filter((f) => IMAGE_KINDS[f] === "schema");

/** `DescribeImagesResponseSchema.safeParse(json).data` for a page already in its parsed form; `undefined` otherwise. */
export function readDescribeImagesFast(
  json: unknown,
): { requestId?: string; result: { images: ApiImage[]; totalCount: number } } | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  const { requestId, result } = json as { requestId?: unknown; result?: unknown };
  if (requestId !== undefined && typeof requestId !== "string") return undefined;
  if (typeof result !== "object" || result === null) return undefined;
  const { images, totalCount } = result as { images?: unknown; totalCount?: unknown };
  if (!Array.isArray(images) || !countOk(totalCount)) return undefined;
  const read: ApiImage[] = [];
  for (const item of images) {
    const image = readImageFast(item);
    if (!image) return undefined;
    read.push(image);
  }
  return requestId !== undefined ? { requestId, result: { images: read, totalCount } } : { result: { images: read, totalCount } };
}

/**
 * `DescribeImageResponseSchema.safeParse(json).data` for an answer already in its parsed form
 * (every field present with its type, no `null`s to read as absent), built without zod's
 * machinery; `undefined` for anything else, which then goes through the schema (and its error
 * messages). The lookup path reads every answer, so this is its hot path; a property test holds it
 * equal to the schema.
 */
export function readDescribeImageFast(json: unknown): { requestId?: string; result: { image: ApiImage } } | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  const { requestId, result } = json as { requestId?: unknown; result?: unknown };
  if (requestId !== undefined && typeof requestId !== "string") return undefined;
  if (typeof result !== "object" || result === null) return undefined;
  const image = readImageFast((result as { image?: unknown }).image);
  if (!image) return undefined;
  return requestId !== undefined ? { requestId, result: { image } } : { result: { image } };
}
