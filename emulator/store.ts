/**
 * The emulator's images, scoped by region, and the fixture file that seeds them,
 * validated with the same schemas the client parses answers with.
 */
import * as fs from "node:fs";
import type { z } from "zod";
import { formatIssuePath } from "../provider/jdcloud/schemas";
import { VM_IMAGE_FIELDS } from "../provider/jdcloud/image";
import type { Image, Snapshot } from "../provider/jdcloud/image";
import type { FaultRule } from "./faults";
import { FixtureFileSchema, FixtureImageSchema } from "./schemas";

/** An image as the emulator keeps it: the API's Image plus its region; `snapshots` may be left out. */
export interface EmulatorImage extends Omit<Image, "snapshots"> {
  /** The image's snapshots (private images); none when left out. */
  readonly snapshots?: readonly Snapshot[] | null;
}

/** An image as the API returns it: without `regionId`. */
export type ServedImage = Omit<EmulatorImage, "regionId">;

/**
 * Which API's Image the emulator answers with: `coc-vm` (the `describeImage` JD Cloud documents for
 * `coc-vm.jdcloud-api.com`, with `snapshots`: the default) or `vm` (the public
 * `vm.jdcloud-api.com`'s, with `rootDeviceType`, `systemDisk`, `dataDisks`, `osVersion`,
 * `loginName`, `launchPermission`, ... and no `snapshots`).
 */
export type ImageShape = "coc-vm" | "vm";

/** Every image shape, the default first. */
export const IMAGE_SHAPES: readonly ImageShape[] = ["coc-vm", "vm"];

/** The fields only the `vm` API's Image has. */
const VM_ONLY: ReadonlyArray<keyof EmulatorImage> = VM_IMAGE_FIELDS;
/** The fields only the `coc-vm` API's Image has. */
const COC_VM_ONLY: ReadonlyArray<keyof EmulatorImage> = ["snapshots", "partnerImageId"];

/** An image as the API of `shape` returns it: without `regionId`, and without the other API's fields. */
export function servedAs(image: EmulatorImage, shape: ImageShape): ServedImage {
  const served: Record<string, unknown> = { ...image };
  delete served["regionId"];
  for (const field of shape === "vm" ? COC_VM_ONLY : VM_ONLY) delete served[field];
  return served as unknown as ServedImage;
}

/** A fixture file's contents after validation. */
export interface Fixtures {
  /** Which API's Image to answer with; default `coc-vm`. */
  readonly shape?: ImageShape;
  /** The images to serve, each with its region. */
  readonly images: readonly EmulatorImage[];
  /** Faults in force from the start. */
  readonly faults?: readonly FaultRule[];
  /** Latency added to every answer, in ms. */
  readonly latencyMs?: number;
}

// The declared types are what the schemas give and take: same fields, and a parsed file fits them.
type SameKeys<A, B> = [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never] ? true : never;
const _imageKeys: SameKeys<EmulatorImage, z.input<typeof FixtureImageSchema>> = true;
const _fixturesTie: Fixtures = {} as z.infer<typeof FixtureFileSchema>;
void _imageKeys;
void _fixturesTie;

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
  private readonly newestFirst = new Map<string, Array<ServedImage>>();

  constructor(
    images: readonly EmulatorImage[] = [],
    /** Which API's Image `get` and `inRegion` return. */
    private readonly shape: ImageShape = "coc-vm",
  ) {
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

  /** The image as the API returns it (without `regionId`, in the store's shape), or undefined. */
  get(regionId: string, imageId: string): ServedImage | undefined {
    const image = this.images.get(ImageStore.key(regionId, imageId));
    return image && servedAs(image, this.shape);
  }

  /** The image with every field the emulator keeps, whatever the shape served, or undefined. */
  full(regionId: string, imageId: string): EmulatorImage | undefined {
    return this.images.get(ImageStore.key(regionId, imageId));
  }

  /** The images of one region as the API returns them (without `regionId`), newest `createTime` first. */
  inRegion(regionId: string): ReadonlyArray<ServedImage> {
    const known = this.newestFirst.get(regionId);
    if (known) return known;
    const found: Array<ServedImage> = [];
    for (const image of this.images.values()) {
      if (image.regionId !== regionId) continue;
      found.push(servedAs(image, this.shape));
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
