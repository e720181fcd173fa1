/**
 * The image guard's plan, independent of any Pulumi SDK: where a resource's inputs may hold a JD
 * Cloud image ID (paths such as `instanceSpecs[].imageId`, by resource type), which rules an image
 * found there must meet, and what an image misses of them. `guardImages` in the TypeScript SDK and
 * `guard_images` in the Python SDK both follow it (the Python one in its own words, see
 * sdk/overlays/python).
 */
import { InvalidArgumentError, RequirementMiss, clip } from "./jdcloud/errors";
import type { Image, ImageRequirements, KnownImageSource, OpenString } from "./jdcloud/image";
import { IMAGE_ID_PATTERN } from "./jdcloud/wire";

/** What an image found by the guard must meet. */
export interface GuardRules {
  /** What the image must be, as in `getImage`'s `require`; `status` is `"ready"` unless this says otherwise. */
  readonly require?: ImageRequirements;
  /** The image sources allowed, e.g. `["public", "private"]`. */
  readonly imageSources?: readonly (KnownImageSource | OpenString)[];
  /** The publishers allowed: the image's `ownerPin` must be one of these. */
  readonly ownerPins?: readonly string[];
  /** The platforms allowed, e.g. `["Ubuntu", "CentOS"]`. */
  readonly platforms?: readonly string[];
}

/** A place in a resource's inputs where an image ID may be: a resource type (or `"*"` for every type) and a path. */
export interface GuardPath {
  /** The resource type token, e.g. `jdcloud:index/instance:Instance`, or `"*"` for every type. */
  readonly type: string;
  /**
   * The property path in the resource's inputs: names joined by `.`, with `[]` (or `[*]`) after a
   * list's name for each of its elements or `[N]` for one, e.g. `instanceSpecs[].imageId`.
   */
  readonly path: string;
}

/** A path removed from the guard: every path of a type (no `path`), or one path of a type (or of `"*"`). */
export interface GuardExclusion {
  /** The resource type token, or `"*"` for the default paths of every type. */
  readonly type: string;
  /** The path to remove; none removes every path of the type, so its resources are not guarded. */
  readonly path?: string;
}

/** Where image IDs are found by default on any resource, when the value looks like a JD Cloud image ID (`img-...`). */
export const DEFAULT_GUARD_PATHS: readonly GuardPath[] = Object.freeze([
  { type: "*", path: "imageId" },
  { type: "*", path: "instanceSpec.imageId" },
  { type: "*", path: "instanceSpecs[].imageId" },
]);

/**
 * The image inputs of the Terraform `jdcloud` provider's resources as a program registers them
 * after `pulumi package add terraform-provider jdcloud-api/jdcloud` (the bridge's tokens:
 * `jdcloud_instance` → `jdcloud:index/instance:Instance`, `image_id` → `imageId`): every value
 * there is checked, whatever it looks like.
 */
export const BRIDGED_JDCLOUD_PATHS: readonly GuardPath[] = Object.freeze([
  { type: "jdcloud:index/instance:Instance", path: "imageId" },
  { type: "jdcloud:index/instanceTemplate:InstanceTemplate", path: "imageId" },
]);

/** One step of a path: a property, every element of a list, or one element of it. */
export type PathStep = { readonly key: string } | { readonly each: true } | { readonly index: number };

/** A path of one resource type, parsed; `strict` when it was named for the type (every value there is checked). */
export interface TypedPath {
  readonly path: string;
  readonly steps: readonly PathStep[];
  readonly strict: boolean;
}

const PART = /^([A-Za-z_$][\w$-]*)((?:\[(?:\*|\d{1,6})?\])*)$/;

/**
 * Parses a path such as `instanceSpecs[].imageId` (Pulumi's `instanceSpecs[*].imageId` and
 * `instanceSpecs[0].imageId` too); throws `InvalidArgumentError` for any other shape.
 */
export function parseGuardPath(path: string, argument = "paths"): PathStep[] {
  const steps: PathStep[] = [];
  for (const part of path.split(".")) {
    const match = PART.exec(part);
    if (!match) {
      throw new InvalidArgumentError(
        argument,
        `'${clip(path, 120)}' is not a property path`,
        "write property names joined by '.', with '[]' (or '[*]') after a list's name for each of its elements or '[N]' for one, e.g. 'instanceSpecs[].imageId'",
        { subject: "guardImages" },
      );
    }
    const [, key = "", brackets = ""] = match;
    steps.push({ key });
    for (const bracket of brackets.match(/\[[^\]]*\]/g) ?? []) {
      const inner = bracket.slice(1, -1);
      steps.push(inner === "" || inner === "*" ? { each: true } : { index: Number(inner) });
    }
  }
  return steps;
}

/** A path in one spelling (`[*]` written `[]`), so that a path and its exclusion compare equal however each was written. */
function canonicalPath(steps: readonly PathStep[]): string {
  return steps
    .map((s) => ("key" in s ? `.${s.key}` : "each" in s ? "[]" : `[${s.index}]`))
    .join("")
    .slice(1);
}

/** Where the guard looks on each resource type, from the defaults, `paths` and `exclude`. */
export class GuardPlan {
  private readonly byType = new Map<string, TypedPath[]>();
  private readonly anyType: TypedPath[];
  private readonly excluded: readonly GuardExclusion[];

  constructor(paths: readonly GuardPath[] = [], exclude: readonly GuardExclusion[] = []) {
    this.excluded = exclude.map((e) =>
      e.path === undefined ? e : { type: e.type, path: canonicalPath(parseGuardPath(e.path, "exclude")) },
    );
    this.anyType = DEFAULT_GUARD_PATHS.filter((p) => !this.isExcluded("*", p.path)).map((p) => ({
      path: p.path,
      steps: parseGuardPath(p.path),
      strict: false,
    }));
    for (const p of [...BRIDGED_JDCLOUD_PATHS, ...paths]) {
      const steps = parseGuardPath(p.path);
      const path = canonicalPath(steps);
      const list = this.byType.get(p.type) ?? [];
      if (!list.some((q) => q.path === path)) list.push({ path, steps, strict: p.type !== "*" });
      this.byType.set(p.type, list);
    }
  }

  private isExcluded(type: string, path: string | undefined): boolean {
    return this.excluded.some((e) => (e.type === type || e.type === "*") && (e.path === undefined || e.path === path));
  }

  /** The paths to look at on a resource of `type` (none when the type is excluded). */
  pathsFor(type: string): readonly TypedPath[] {
    if (this.excluded.some((e) => e.type === type && e.path === undefined)) return [];
    const typed = (this.byType.get(type) ?? []).filter((p) => !this.isExcluded(type, p.path));
    const star = (this.byType.get("*") ?? []).filter((p) => !this.isExcluded(type, p.path));
    const all = [...typed, ...star];
    for (const p of this.anyType) if (!all.some((q) => q.path === p.path) && !this.isExcluded(type, p.path)) all.push(p);
    return all;
  }
}

/** Whether a value at a path is one the guard checks: anything where the path was named, else a string that looks like an image ID. */
export function isGuarded(value: unknown, strict: boolean): boolean {
  return strict ? value !== undefined && value !== null : typeof value === "string" && IMAGE_ID_PATTERN.test(value);
}

/** Every rule beyond `require` that the image misses: its source, publisher and platform. */
export function ruleMisses(image: Image, rules: GuardRules): RequirementMiss[] {
  const misses: RequirementMiss[] = [];
  const check = (field: string, allowed: readonly string[] | undefined, found: string | undefined): void => {
    if (allowed === undefined || allowed.length === 0) return;
    if (found === undefined || !allowed.includes(found)) misses.push({ field, wanted: [...allowed], found });
  };
  check("imageSource", rules.imageSources, image.imageSource);
  check("ownerPin", rules.ownerPins, image.ownerPin);
  check("platform", rules.platforms, image.platform);
  return misses;
}
