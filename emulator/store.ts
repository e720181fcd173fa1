/**
 * The emulator's images, scoped by region, and the fixture file that seeds them,
 * validated with the same schemas the client parses answers with.
 */
import * as fs from "node:fs";
import { z } from "zod";
import { ApiImageSchema, RegionIdSchema, formatIssuePath } from "../provider/jdcloud/schemas";
import { FaultRuleSchema, LatencySchema } from "./faults";

/**
 * One image in an emulator fixture file: the API's Image plus its region. IDs are
 * checked only for what would break a URL path: the emulator serves whatever
 * JD Cloud might, and clients other than ours may ask for it.
 */
export const FixtureImageSchema = ApiImageSchema.extend({
  imageId: z.string().regex(/^[^/\s?#%]+$/, { message: "must be a non-empty ID without '/', '?', '#', '%' or spaces" }),
  regionId: RegionIdSchema,
});

/** An image as the emulator keeps it: the API's Image plus its region. */
export type EmulatorImage = z.input<typeof FixtureImageSchema>;

/** `{"images": [ {regionId, ...Image} ], "faults"?: [...], "latencyMs"?: N}`. */
export const FixtureFileSchema = z.strictObject({
  images: z.array(FixtureImageSchema),
  faults: z.array(FaultRuleSchema).optional(),
  latencyMs: LatencySchema.optional(),
});

/** A fixture file's contents after validation. */
export type Fixtures = z.infer<typeof FixtureFileSchema>;

/** A fixture file that cannot be used; the message is one line naming file, index and field. */
export class FixtureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FixtureError";
  }
}

/** Reads and validates a fixture file. */
export function loadFixtures(file: string): Fixtures {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new FixtureError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new FixtureError(`${file}: is not JSON (${(err as Error).message})`);
  }
  return parseFixtures(json, file);
}

/** Validates fixture contents; `source` names them in errors. */
export function parseFixtures(json: unknown, source: string): Fixtures {
  const parsed = FixtureFileSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue ? issue.path : [];
  const where =
    path[0] === "images" && typeof path[1] === "number"
      ? `image ${path[1]}${path.length > 2 ? `, field ${formatIssuePath(path.slice(2))}` : ""}`
      : formatIssuePath(path) || "(top level)";
  throw new FixtureError(`${source}: ${where}: ${issue?.message ?? "is invalid"}`);
}

/** Images by region and ID. */
export class ImageStore {
  private readonly images = new Map<string, EmulatorImage>();
  // A region's images newest first, kept until an image changes (describeImages pages read it).
  private readonly newestFirst = new Map<string, Array<z.input<typeof ApiImageSchema>>>();

  constructor(images: readonly EmulatorImage[] = []) {
    for (const image of images) this.set(image);
  }

  private static key(regionId: string, imageId: string): string {
    return `${regionId}/${imageId}`;
  }

  /** Adds or replaces an image (validated). */
  set(image: EmulatorImage): void {
    const parsed = FixtureImageSchema.parse(image);
    this.images.set(ImageStore.key(parsed.regionId, parsed.imageId), image);
    this.newestFirst.clear();
  }

  /** Changes fields of an existing image; returns false when there is none. */
  update(regionId: string, imageId: string, patch: Partial<Omit<EmulatorImage, "regionId" | "imageId">>): boolean {
    const current = this.images.get(ImageStore.key(regionId, imageId));
    if (!current) return false;
    this.set({ ...current, ...patch, regionId, imageId });
    return true;
  }

  /** Removes an image; returns whether it was there. */
  remove(regionId: string, imageId: string): boolean {
    this.newestFirst.clear();
    return this.images.delete(ImageStore.key(regionId, imageId));
  }

  /** The image as the API returns it (without `regionId`), or undefined. */
  get(regionId: string, imageId: string): z.input<typeof ApiImageSchema> | undefined {
    const image = this.images.get(ImageStore.key(regionId, imageId));
    if (!image) return undefined;
    const { regionId: _region, ...api } = image;
    return api;
  }

  /** The images of one region as the API returns them (without `regionId`), newest `createTime` first. */
  inRegion(regionId: string): ReadonlyArray<z.input<typeof ApiImageSchema>> {
    const known = this.newestFirst.get(regionId);
    if (known) return known;
    const found: Array<z.input<typeof ApiImageSchema>> = [];
    for (const image of this.images.values()) {
      if (image.regionId !== regionId) continue;
      const { regionId: _region, ...api } = image;
      found.push(api);
    }
    found.sort((a, b) => {
      const [x, y] = [a.createTime ?? "", b.createTime ?? ""];
      return x < y ? 1 : x > y ? -1 : 0;
    });
    this.newestFirst.set(regionId, found);
    return found;
  }

  /** Every image, with its region. */
  all(): EmulatorImage[] {
    return [...this.images.values()];
  }
}
