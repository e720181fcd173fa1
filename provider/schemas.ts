/**
 * The zod schemas: the single source of every wire and input type. Response
 * schemas tolerate fields JD Cloud may add; input schemas are strict, so a typo
 * in a program fails instead of being ignored.
 */
import { z } from "zod";
import type {
  Image,
  ImageRequirements,
  KnownArchitecture,
  KnownImageSource,
  KnownImageStatus,
  KnownOsType,
  Snapshot,
} from "./image";

export type { Image, ImageRequirements, Snapshot } from "./image";

/** `img-` plus lowercase letters and digits, at most 64 characters in all. */
export const IMAGE_ID_PATTERN = /^img-[a-z0-9]{1,60}$/;
/** A legacy image ID: a lowercase UUID. */
export const LEGACY_IMAGE_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A region ID such as `cn-north-1`. */
export const REGION_ID_PATTERN = /^[a-z]{2,4}-[a-z]{2,12}-[0-9]{1,2}$/;

/** Schema of an image ID: see {@link IMAGE_ID_PATTERN} and {@link LEGACY_IMAGE_ID_PATTERN}. */
export const ImageIdSchema = z
  .string()
  .refine((v) => IMAGE_ID_PATTERN.test(v) || LEGACY_IMAGE_ID_PATTERN.test(v), {
    message: "must be 'img-' followed by lowercase letters and digits (64 characters at most), or a lowercase UUID",
  });

/** Schema of a region ID: see {@link REGION_ID_PATTERN}. */
export const RegionIdSchema = z.string().regex(REGION_ID_PATTERN, {
  message: "must look like 'cn-north-1' (lowercase letters, hyphens and a number)",
});

/** An optional string that JD Cloud may also send as `null`; both read as absent. */
const optionalString = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined)
  .optional();

/** One disk snapshot that a (private) image is made of. */
export const SnapshotSchema = z.object({
  /** The disk snapshot ID, e.g. `snapshot-h8u1vn1m3o`. */
  diskSnapshotId: z.string(),
  /** The snapshot's name. */
  diskSnapshotName: optionalString,
  /** Disk size in GB. */
  diskSize: z.number().int().nonnegative(),
  /** `system_disk` or `data_disk`. */
  diskCategory: z.string(),
  /** Cloud disk type, e.g. `ssd.gp1`. */
  diskType: optionalString,
});

/** The API's `Image`, as `describeImage` returns it. */
export const ApiImageSchema = z.object({
  /** The image ID, e.g. `img-h8ly274zg9`. */
  imageId: z.string(),
  /** Third-party (marketplace) image ID, when there is one. */
  partnerImageId: optionalString,
  /** The image's name. */
  name: z.string(),
  /** OS platform: `Ubuntu`, `CentOS`, `Windows Server`, `Other Linux` or `Other Windows`. */
  platform: z.string(),
  /** CPU architecture, e.g. `x86_64`. */
  architecture: optionalString,
  /** System disk size of the image, in GB. */
  systemDiskSizeGB: z.number().int().nonnegative(),
  /** `public`, `thirdparty`, `private`, `shared` or `community`. */
  imageSource: optionalString,
  /** `linux` or `windows`. */
  osType: z.string(),
  /** Image status, e.g. `ready`, `pending`, `error`. */
  status: z.string(),
  /** When the image was created, as JD Cloud formats it (`2021-01-28 16:49:05`). */
  createTime: optionalString,
  /** The image's description. */
  desc: optionalString,
  /** The owner's user PIN. */
  ownerPin: optionalString,
  /** Disk snapshots of a private image; always an array, empty when JD Cloud sends none. */
  snapshots: z.array(SnapshotSchema).nullish().transform((s) => s ?? []),
});

/** An image with the region it was read from: what every lookup returns. */
export const ImageSchema = ApiImageSchema.extend({
  /** The region the image was read from, e.g. `cn-north-1`. */
  regionId: z.string(),
});

/** `{requestId, result: {image}}`, the success body. */
export const DescribeImageResponseSchema = z.object({
  requestId: optionalString,
  result: z.object({ image: ApiImageSchema }),
});

/** `{requestId, error: {code, status, message}}`, JD Cloud's error body. */
export const ErrorBodySchema = z.object({
  requestId: optionalString,
  error: z.object({
    code: z.number().int(),
    status: optionalString,
    message: optionalString,
    details: z.unknown().optional(),
  }),
});

/** One value of `values`, or a non-empty list of them. */
function oneOrMany<T extends string>(values: z.ZodType<T>) {
  return z.union([values, z.array(values).min(1)]);
}

const OS_TYPES = ["linux", "windows"] as const satisfies readonly KnownOsType[];
const STATUSES = ["pending", "ready", "deleting", "error", "any"] as const satisfies ReadonlyArray<KnownImageStatus | "any">;
const SOURCES = ["public", "thirdparty", "private", "shared", "community"] as const satisfies readonly KnownImageSource[];
const ARCHITECTURES = ["x86_64", "aarch64"] as const satisfies readonly KnownArchitecture[];

/** What a program needs of an image; a miss fails the lookup with an `ImageRequirementError`. See {@link ImageRequirements}. */
export const ImageRequirementsSchema = z.strictObject({
  status: oneOrMany(z.enum(STATUSES)).optional(),
  osType: oneOrMany(z.enum(OS_TYPES)).optional(),
  platform: oneOrMany(z.string().min(1)).optional(),
  architecture: oneOrMany(z.enum(ARCHITECTURES)).optional(),
  imageSource: oneOrMany(z.enum(SOURCES)).optional(),
  maxSystemDiskSizeGB: z.number().int().positive().optional(),
});

/** The arguments of `getImage`. */
export const GetImageArgsSchema = z.strictObject({
  imageId: ImageIdSchema,
  regionId: RegionIdSchema.optional(),
  require: ImageRequirementsSchema.optional(),
});

/**
 * One image in an emulator fixture file: the API's Image plus its region. IDs are
 * checked only for what would break a URL path: the emulator serves whatever
 * JD Cloud might, and clients other than ours may ask for it.
 */
export const FixtureImageSchema = ApiImageSchema.extend({
  imageId: z.string().regex(/^[^/\s?#%]+$/, { message: "must be a non-empty ID without '/', '?', '#', '%' or spaces" }),
  regionId: RegionIdSchema,
});

/** The API's Image exactly as `describeImage` returns it (after parsing): an {@link Image} without `regionId`. */
export type ApiImage = Omit<Image, "regionId">;
/** The plain arguments of `getImage`, as validated. */
export interface GetImageArgs {
  readonly imageId: string;
  readonly regionId?: string;
  readonly require?: ImageRequirements;
}

// Compile-time ties between the declared types (image.ts) and the schemas: what a schema parses
// must be assignable to the declared type, and both must name the same fields.
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
function tie<Declared, Parsed extends Declared>(_same: SameKeys<Declared, Parsed>): void {}
tie<Snapshot, z.output<typeof SnapshotSchema>>(true);
tie<Image, z.output<typeof ImageSchema>>(true);
tie<ImageRequirements, z.output<typeof ImageRequirementsSchema>>(true);
tie<GetImageArgs, z.output<typeof GetImageArgsSchema>>(true);

/** A zod issue path as a readable property path, e.g. `result.image.snapshots[0].diskSize`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** The first issue of a zod error as `path: message`. */
export function describeIssue(error: z.ZodError, prefix?: string): { path: string; message: string } {
  const issue = error.issues[0];
  const raw = issue ? formatIssuePath(issue.path) : "";
  const path = prefix ? (raw ? `${prefix}.${raw}` : prefix) : raw;
  return { path: path || "(root)", message: issue?.message ?? "is invalid" };
}
