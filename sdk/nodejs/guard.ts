/**
 * `guardImages`: the preview gate for every instance definition of a stack. One line at the top of
 * a program makes every resource the program registers — of any provider, inside components too —
 * have the JD Cloud image IDs in its inputs looked up before it is registered: a missing image, one
 * that is not `ready`, or one that misses the guard's rules fails `pulumi preview` with one sentence
 * naming the resource and the property path.
 */
import * as pulumi from "@pulumi/pulumi";
import { GuardExclusion, GuardPath, GuardPlan, GuardRules, PathStep, TypedPath, isGuarded, ruleMisses } from "../../provider/guard";
import { ImageGuardError, ImageRequirementError, InvalidArgumentError, clip } from "../../provider/jdcloud/errors";
import type { LookupOptions } from "../../provider/jdcloud/settings";
import { didYouMean } from "../../provider/jdcloud/suggest";
import { REGION_ID_PATTERN } from "../../provider/jdcloud/wire";
import { asRunError, getImage } from "./getImage";

export type { GuardRules, GuardPath, GuardExclusion } from "../../provider/guard";

/** What {@link guardImages} checks, where it looks, and how it connects. */
export interface GuardImagesOptions extends GuardRules {
  /**
   * Rules for resources of one type, by type token (e.g. `jdcloud:index/instance:Instance`): they
   * replace the guard's own rules for that type.
   */
  readonly byType?: Readonly<Record<string, GuardRules>>;
  /**
   * More places to look, beside the defaults (a top-level `imageId`, `instanceSpec.imageId` and
   * `instanceSpecs[].imageId` on every resource, where the value looks like `img-...`; `imageId` of
   * the Terraform-bridged `jdcloud` provider's instances and instance templates). Every value at a
   * path named for a type is checked; a path for `"*"` checks only values that look like image IDs.
   */
  readonly paths?: readonly GuardPath[];
  /** Places not to look: a path of a type (or of `"*"`), or every path of a type. */
  readonly exclude?: readonly GuardExclusion[];
  /**
   * The region to look images up in. Default: the resource's own top-level `regionId` when it is a
   * region ID, else the `region` setting (`settings.region`, `jdcloud-image:region`, `JDCLOUD_REGION`,
   * the jdc profile).
   */
  readonly regionId?: string;
  /** Connection settings of the lookups, as `getImage` takes them. */
  readonly settings?: LookupOptions;
}

/** One image ID found in a resource's inputs, and where. */
interface Found {
  readonly at: string;
  readonly value: unknown;
}

/** What the guard knows about the resource it is checking. */
interface Subject {
  readonly name: string;
  readonly type: string;
  readonly rules: GuardRules;
  readonly regionId: string | undefined;
}

const KNOWN_OPTIONS = new Set(["require", "imageSources", "ownerPins", "platforms", "byType", "paths", "exclude", "regionId", "settings"]);

function isInputWrapper(value: unknown): boolean {
  return pulumi.Output.isInstance(value) || value instanceof Promise;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === "object" && value !== null && !isInputWrapper(value) && !pulumi.Resource.isInstance(value) && !Array.isArray(value)
  );
}

/** Every image ID at `steps` of a plain (resolved) value, with its concrete path. */
function collect(value: unknown, steps: readonly PathStep[], at: string, strict: boolean, out: Found[]): void {
  const [step, ...rest] = steps;
  if (step === undefined) {
    if (isGuarded(value, strict)) out.push({ at, value });
    return;
  }
  if ("each" in step) {
    if (Array.isArray(value)) value.forEach((v, i) => collect(v, rest, `${at}[${i}]`, strict, out));
    return;
  }
  if ("index" in step) {
    if (Array.isArray(value) && step.index < value.length) collect(value[step.index], rest, `${at}[${step.index}]`, strict, out);
    return;
  }
  if (isPlainObject(value) && Object.prototype.hasOwnProperty.call(value, step.key)) {
    collect(value[step.key], rest, at === "" ? step.key : `${at}.${step.key}`, strict, out);
  }
}

/** The guard's checks of the image IDs in one (possibly not yet known) input, with the input passed on unchanged. */
function guarded(value: unknown, steps: readonly PathStep[], at: string, strict: boolean, check: (found: Found) => Promise<void>): unknown {
  const [step, ...rest] = steps;
  if (isInputWrapper(value)) {
    // Checked once known: in preview an unknown value passes; during up it is known before the resource is registered.
    return (pulumi.output(value) as pulumi.Output<unknown>).apply(async (resolved) => {
      const found: Found[] = [];
      collect(resolved, steps, at, strict, found);
      await Promise.all(found.map(check));
      return resolved;
    });
  }
  if (step === undefined) {
    if (!isGuarded(value, strict)) return value;
    return pulumi.output(check({ at, value }).then(() => value));
  }
  if ("each" in step || "index" in step) {
    if (!Array.isArray(value)) return value;
    let changed = false;
    const copy = value.map((v: unknown, i) => {
      if ("index" in step && i !== step.index) return v;
      const g = guarded(v, rest, `${at}[${i}]`, strict, check);
      changed ||= g !== v;
      return g;
    });
    return changed ? copy : value;
  }
  if (!isPlainObject(value) || !Object.prototype.hasOwnProperty.call(value, step.key)) return value;
  const inner = value[step.key];
  const g = guarded(inner, rest, at === "" ? step.key : `${at}.${step.key}`, strict, check);
  return g === inner ? value : { ...value, [step.key]: g };
}

/** Looks one found image up and holds it to the subject's rules; rejects with an `ImageGuardError`. */
async function checkImage(subject: Subject, found: Found, settings: LookupOptions | undefined): Promise<void> {
  const place = { resourceName: subject.name, resourceType: subject.type, path: found.at };
  try {
    if (typeof found.value !== "string") {
      throw new InvalidArgumentError(
        found.at,
        `is ${typeof found.value}, not an image ID`,
        "pass the image ID as a string such as 'img-h8ly274zg9'",
        {
          subject: `resource '${subject.name}'`,
        },
      );
    }
    const args = {
      imageId: found.value,
      ...(subject.regionId ? { regionId: subject.regionId } : {}),
      ...(subject.rules.require ? { require: subject.rules.require } : {}),
    };
    const image = await getImage(args, settings);
    const misses = ruleMisses(image, subject.rules);
    if (misses.length > 0) {
      throw new ImageRequirementError(
        { imageId: image.imageId, regionId: image.regionId },
        misses,
        "change the guard's rules (guardImages)",
      );
    }
  } catch (err) {
    throw asRunError(new ImageGuardError(place, err));
  }
}

/** Checks the options before anything is registered; throws `InvalidArgumentError` naming the first wrong one. */
function validated(options: GuardImagesOptions): GuardPlan {
  if (typeof options !== "object" || options === null) {
    throw new InvalidArgumentError(
      "options",
      `is ${options === null ? "null" : typeof options}, not an object`,
      'pass an object such as { require: { osType: "linux" } }',
      {
        subject: "guardImages",
      },
    );
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      const fix = didYouMean(key, KNOWN_OPTIONS) ?? `the options are ${[...KNOWN_OPTIONS].join(", ")}`;
      throw new InvalidArgumentError(key, "there is no such option", fix, { subject: "guardImages" });
    }
  }
  if (options.regionId !== undefined && !REGION_ID_PATTERN.test(options.regionId)) {
    throw new InvalidArgumentError(
      "regionId",
      `'${clip(String(options.regionId))}' is not a region ID`,
      "pass a region ID such as 'cn-north-1'",
      {
        subject: "guardImages",
      },
    );
  }
  for (const p of options.paths ?? []) {
    if (typeof p?.type !== "string" || typeof p?.path !== "string") {
      throw new InvalidArgumentError(
        "paths",
        "each entry must be { type, path }",
        'pass e.g. { type: "example:index:Vm", path: "boot.imageId" }',
        {
          subject: "guardImages",
        },
      );
    }
  }
  return new GuardPlan(options.paths, options.exclude);
}

/**
 * Guards every resource the program registers from here on: each JD Cloud image ID found in its
 * inputs is looked up (shared with every other lookup of the deployment, within the in-flight
 * bound) before the resource is registered, and one that is missing, not `ready` (unless `require`
 * says otherwise), or misses the guard's rules fails `pulumi preview` with an `ImageGuardError`
 * naming the resource and the property path. An ID not yet known at preview (another resource's
 * output) passes the preview and is checked during `up`, before the resource is created. The guard
 * never changes a resource's inputs.
 *
 * Call it once, at the top of the program, before the resources it should see.
 *
 * @example
 * guardImages({ require: { osType: "linux" }, imageSources: ["public", "private"] });
 *
 * @throws InvalidArgumentError at once, for options it cannot follow.
 */
export function guardImages(options: GuardImagesOptions = {}): void {
  const plan = validated(options);
  const settings = options.settings;
  pulumi.runtime.registerStackTransformation((args) => {
    const paths: readonly TypedPath[] = plan.pathsFor(args.type);
    if (paths.length === 0 || !isPlainObject(args.props)) return undefined;
    const ownRegion = args.props["regionId"];
    const subject: Subject = {
      name: args.name,
      type: args.type,
      rules: options.byType?.[args.type] ?? options,
      regionId: options.regionId ?? (typeof ownRegion === "string" && REGION_ID_PATTERN.test(ownRegion) ? ownRegion : undefined),
    };
    const check = (found: Found): Promise<void> => checkImage(subject, found, settings);
    let props: Record<string, unknown> = args.props;
    for (const p of paths) {
      const [first] = p.steps;
      if (first === undefined || !("key" in first) || !Object.prototype.hasOwnProperty.call(props, first.key)) continue;
      const next = guarded(props, p.steps, "", p.strict, check);
      if (next !== props) props = next as Record<string, unknown>;
    }
    return props === args.props ? undefined : { props, opts: args.opts };
  });
}
