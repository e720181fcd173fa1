/**
 * The emulator's zod schemas: fault rules, latency and fixture files, built on the client's own
 * image schemas. Kept apart from the modules that export the emulator's types, so that the
 * published type declarations name no zod type (the declared types are tied to these schemas at
 * compile time in faults.ts and store.ts).
 */
import { z } from "zod";
import { ApiImageSchema, RegionIdSchema } from "../provider/jdcloud/schemas";
import { MAX_LATENCY_MS } from "./limits";

/** Latency in milliseconds: a whole number from 0 to {@link MAX_LATENCY_MS}. */
export const LatencySchema = z.number().int().nonnegative().max(MAX_LATENCY_MS);

/** One kind of fault. */
export const FaultSchema = z.discriminatedUnion("kind", [
  /** Wait before answering. */
  z.strictObject({ kind: z.literal("latency"), ms: LatencySchema }),
  /** Answer with a JD Cloud error body, e.g. 500 INTERNAL or 503 UNKNOWN. */
  z.strictObject({
    kind: z.literal("error"),
    httpStatus: z.number().int().min(400).max(599).default(500),
    status: z.string().default("INTERNAL"),
    message: z.string().optional(),
  }),
  /** Answer 429 with `Retry-After`. */
  z.strictObject({ kind: z.literal("throttle"), retryAfterSeconds: z.number().int().nonnegative().default(1) }),
  /** Close the connection without answering. */
  z.strictObject({ kind: z.literal("drop") }),
  /** Send half of a 200 body, then close the connection. */
  z.strictObject({ kind: z.literal("truncate") }),
  /** Answer with this raw body instead of the image: by default a 200 that is not JSON. */
  z.strictObject({
    kind: z.literal("malformed"),
    body: z.string().default("<html>502 Bad Gateway</html>"),
    httpStatus: z.number().int().min(200).max(599).default(200),
  }),
]);

/** A fault and which requests it hits: the next `times`, or a `rate` share, optionally of one image. */
export const FaultRuleSchema = z.intersection(
  FaultSchema,
  z.object({
    /** Hit the next N matching requests, then stop. */
    times: z.number().int().positive().optional(),
    /** Hit this share (0..1] of matching requests; with `times`, until N were hit. */
    rate: z.number().gt(0).max(1).optional(),
    /** Only requests for this image. */
    imageId: z.string().optional(),
    /** Only requests in this region. */
    regionId: z.string().optional(),
    /** Only requests of this operation: `describeImage` (one image by ID) or `describeImages` (a list). */
    operation: z.enum(["describeImage", "describeImages"]).optional(),
  }),
);

/**
 * One image in an emulator fixture file: the API's Image plus its region. IDs are
 * checked only for what would break a URL path: the emulator serves whatever
 * JD Cloud might, and clients other than ours may ask for it.
 */
export const FixtureImageSchema = ApiImageSchema.extend({
  imageId: z.string().regex(/^[^/\s?#%]+$/, { message: "must be a non-empty ID without '/', '?', '#', '%' or spaces" }),
  regionId: RegionIdSchema,
});

/** `{"shape"?: "coc-vm" | "vm", "images": [ {regionId, ...Image} ], "faults"?: [...], "latencyMs"?: N}`. */
export const FixtureFileSchema = z.strictObject({
  shape: z.enum(["coc-vm", "vm"]).optional(),
  images: z.array(FixtureImageSchema),
  faults: z.array(FaultRuleSchema).optional(),
  latencyMs: LatencySchema.optional(),
});
