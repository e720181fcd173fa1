/**
 * The zod schemas: the single source of every wire and input type. Response
 * schemas tolerate fields JD Cloud may add; input schemas are strict, so a typo
 * in a program fails instead of being ignored. The lookup path loads this module (and zod) only
 * when it needs it, through `schemas()` in wire.ts; this module re-exports wire.ts.
 */
import { z } from "zod";
import { ARCHITECTURES, IMAGE_SOURCES, IMAGE_STATUSES, OS_TYPES } from "./image";
import type { Image, ImageCloudDisk, ImageDisk, ImageLocalDisk, ImageRequirements, Snapshot } from "./image";
import { GetImageArgs, IMAGE_ID_PATTERN, LEGACY_IMAGE_ID_PATTERN, REGION_ID_PATTERN, formatIssuePath } from "./wire";

export * from "./wire";

/** Schema of an image ID: see {@link IMAGE_ID_PATTERN} and {@link LEGACY_IMAGE_ID_PATTERN}. */
export const ImageIdSchema = z.string().refine((v) => IMAGE_ID_PATTERN.test(v) || LEGACY_IMAGE_ID_PATTERN.test(v), {
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

/** Parses a {@link Snapshot}; the interface in image.ts documents each field. */
export const SnapshotSchema = z.object({
  diskSnapshotId: z.string(),
  diskSnapshotName: optionalString,
  diskSize: z.number().int().nonnegative(),
  diskCategory: z.string(),
  diskType: optionalString,
});

const optionalCount = z
  .number()
  .int()
  .nonnegative()
  .nullish()
  .transform((v) => v ?? undefined)
  .optional();
const optionalBoolean = z
  .boolean()
  .nullish()
  .transform((v) => v ?? undefined)
  .optional();

/** Parses an {@link ImageLocalDisk}. */
export const ImageLocalDiskSchema = z.object({ diskType: optionalString, diskSizeGB: optionalCount });

/** Parses an {@link ImageCloudDisk}. */
export const ImageCloudDiskSchema = z.object({
  name: optionalString,
  diskType: optionalString,
  diskSizeGB: optionalCount,
  snapshotId: optionalString,
  encrypted: optionalBoolean,
});

/** Parses an {@link ImageDisk}: one disk of an image, as the public `vm` API describes it. */
export const ImageDiskSchema = z.object({
  diskCategory: optionalString,
  autoDelete: optionalBoolean,
  deviceName: optionalString,
  localDisk: ImageLocalDiskSchema.nullish()
    .transform((v) => v ?? undefined)
    .optional(),
  cloudDisk: ImageCloudDiskSchema.nullish()
    .transform((v) => v ?? undefined)
    .optional(),
});

/** Parses the API's `Image` as `describeImage` returns it: an {@link Image} without `regionId`. */
export const ApiImageSchema = z.object({
  imageId: z.string(),
  partnerImageId: optionalString,
  name: z.string(),
  platform: z.string(),
  architecture: optionalString,
  systemDiskSizeGB: z.number().int().nonnegative(),
  imageSource: optionalString,
  osType: z.string(),
  status: z.string(),
  createTime: optionalString,
  desc: optionalString,
  ownerPin: optionalString,
  snapshots: z
    .array(SnapshotSchema)
    .nullish()
    .transform((s) => s ?? []),
  osVersion: optionalString,
  sizeMB: optionalCount,
  loginName: optionalString,
  launchPermission: optionalString,
  rootDeviceType: optionalString,
  snapshotId: optionalString,
  systemDisk: ImageDiskSchema.nullish()
    .transform((v) => v ?? undefined)
    .optional(),
  dataDisks: z
    .array(ImageDiskSchema)
    .nullish()
    .transform((v) => v ?? undefined)
    .optional(),
  bootMode: optionalString,
});

/** Parses an {@link Image}: the API's image with the region it was read from. */
export const ImageSchema = ApiImageSchema.extend({
  regionId: z.string(),
});

/** `{requestId, result: {image}}`, the success body. */
export const DescribeImageResponseSchema = z.object({
  requestId: optionalString,
  result: z.object({ image: ApiImageSchema }),
});

/** `{requestId, result: {images, totalCount}}`, describeImages' success body. */
export const DescribeImagesResponseSchema = z.object({
  requestId: optionalString,
  result: z.object({
    images: z
      .array(ApiImageSchema)
      .nullish()
      .transform((i) => i ?? []),
    totalCount: z.number().int().nonnegative(),
  }),
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

/** What a program needs of an image; a miss fails the lookup with an `ImageRequirementError`. See {@link ImageRequirements}. */
export const ImageRequirementsSchema = z.strictObject({
  status: oneOrMany(z.enum([...IMAGE_STATUSES, "any"])).optional(),
  osType: oneOrMany(z.enum(OS_TYPES)).optional(),
  platform: oneOrMany(z.string().min(1)).optional(),
  architecture: oneOrMany(z.enum(ARCHITECTURES)).optional(),
  imageSource: oneOrMany(z.enum(IMAGE_SOURCES)).optional(),
  maxSystemDiskSizeGB: z.number().int().positive().optional(),
});

/** The arguments of `getImage`. */
export const GetImageArgsSchema = z.strictObject({
  imageId: ImageIdSchema,
  regionId: RegionIdSchema.optional(),
  require: ImageRequirementsSchema.optional(),
});

/** `true` when A and B name the same fields, else `false`. */
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;

/**
 * A compile-time tie between a declared type and a schema: `tie<Declared, z.output<typeof S>>(true)`
 * compiles only when what the schema parses is assignable to the declared type and both name the
 * same fields. Nothing happens at run time.
 */
export function tie<Declared, Parsed extends Declared>(_same: SameKeys<Declared, Parsed>): void {}

// The declared types (image.ts) and the schemas.
tie<Snapshot, z.output<typeof SnapshotSchema>>(true);
tie<ImageDisk, z.output<typeof ImageDiskSchema>>(true);
tie<ImageLocalDisk, z.output<typeof ImageLocalDiskSchema>>(true);
tie<ImageCloudDisk, z.output<typeof ImageCloudDiskSchema>>(true);
tie<Image, z.output<typeof ImageSchema>>(true);
tie<ImageRequirements, z.output<typeof ImageRequirementsSchema>>(true);
tie<GetImageArgs, z.output<typeof GetImageArgsSchema>>(true);

/** The first issue of a zod error as `path: message`. */
export function describeIssue(error: z.ZodError, prefix?: string): { path: string; message: string } {
  const issue = error.issues[0];
  const raw = issue ? formatIssuePath(issue.path) : "";
  const path = prefix ? (raw ? `${prefix}.${raw}` : prefix) : raw;
  return { path: path || "(root)", message: issue?.message ?? "is invalid" };
}

export { inputProblem, inputProblems } from "./inputIssues";
export type { InputProblem } from "./inputIssues";
