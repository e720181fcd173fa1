/**
 * The read-only dynamic resources, in one module (they share the loader of their implementation):
 * `ImageLookup`, the lookup kept in state, so `pulumi refresh` sees an image that changed or
 * vanished; and `ImageSearch`, a search whose choice is pinned in state. Neither changes the cloud.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as impl from "../../provider/imageProvider";
import { IMAGE_FIELDS } from "../../provider/jdcloud/image";
import type { Image, ImageRequirements } from "../../provider/jdcloud/image";
import type { FindImageCriteria } from "./findImage";
import { warnDeprecatedConfig } from "./getImage";

/** Inputs of an {@link ImageLookup}; each may be an `Input`. */
export interface ImageLookupArgs {
  /** The image ID, e.g. `img-h8ly274zg9`. Changing it replaces the lookup. */
  readonly imageId: pulumi.Input<string>;
  /** The region; defaults to `jdcloud-image:region` or `JDCLOUD_REGION`. Changing it replaces the lookup. */
  readonly regionId?: pulumi.Input<string>;
  /** What the program needs of the image; checked at preview. Changing it updates the lookup. */
  readonly require?: pulumi.Input<pulumi.Unwrap<ImageRequirements>>;
}

type Impl = typeof impl;

/** The keys a caller gave (a JavaScript program may give any, or none): passed on for check to validate. */
function givenInputs(args: unknown): Record<string, unknown> {
  return typeof args === "object" && args !== null && !Array.isArray(args) ? { ...(args as Record<string, unknown>) } : {};
}
/** The engine's property bags, as the implementation reads them. */
type Props = Record<string, unknown>;

/**
 * Loads the provider implementation in the provider host. The package is found
 * by name from the program's folder, as any dependency is; inside this package's
 * own checkout (its tests, the demo) it is found by self-reference instead.
 */
function implementation(): Impl {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded when the engine calls, by a name the serialized closure can resolve */
  try {
    return require("pulumi-jdcloud-image/provider") as Impl;
  } catch (err) {
    if ((err as { code?: string }).code !== "MODULE_NOT_FOUND") throw err;
    const nodeModule = require("node:module") as typeof import("node:module");
    const nodePath = require("node:path") as typeof import("node:path");
    return nodeModule.createRequire(nodePath.join(process.cwd(), "package.json"))("pulumi-jdcloud-image/provider") as Impl;
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
}

// Each method loads the implementation when the engine calls it. Nothing but
// `implementation` is captured: the serialized provider is a few hundred bytes,
// holds no credential, and stays the same when the implementation changes.
const imageLookupProvider: pulumi.dynamic.ResourceProvider = {
  async configure(req) {
    return implementation().configure(req);
  },
  async check(olds: Props, news: Props) {
    return implementation().check(olds, news);
  },
  async diff(id, olds: Props, news: Props) {
    return implementation().diff(id, olds, news);
  },
  async create(inputs: Props) {
    return implementation().create(inputs);
  },
  async read(id, props: Props) {
    return implementation().read(id, props);
  },
  async update(id, olds: Props, news: Props) {
    return implementation().update(id, olds, news);
  },
  async delete() {
    // Read-only: forgetting the lookup changes nothing in JD Cloud.
  },
};

/** Every {@link Image} field as an output; the mapped type carries each field's doc comment to the hover. */
type ImageOutputs = { readonly [K in keyof Image]-?: pulumi.Output<Image[K]> };

// Declaration merging gives the class the outputs without writing each one again.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging -- the merge is the point
export interface ImageLookup extends ImageOutputs {}

/**
 * A JD Cloud VM image looked up by ID and kept in Pulumi state. Its outputs are
 * every field of {@link Image}; `check` reads the image at preview and fails
 * it when the image is missing or misses `require`.
 *
 * Type token: `pulumi-nodejs:dynamic/jdcloud:ImageLookup`.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see ImageLookup's interface above
export class ImageLookup extends pulumi.dynamic.Resource {
  /** The requirements checked, as given. */
  declare readonly require: pulumi.Output<ImageRequirements | undefined>;

  /**
   * @param name The Pulumi resource name.
   * @param args The image to look up and what it must be.
   * @param opts Resource options (`dependsOn`, `parent`, `protect`, ...).
   */
  constructor(name: string, args: ImageLookupArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      imageLookupProvider,
      name,
      {
        // Outputs are declared so they resolve; the provider fills them in.
        ...Object.fromEntries(IMAGE_FIELDS.map((field) => [field, undefined])),
        // Every key given, so that check names one that is no input (JavaScript has no compiler to).
        ...givenInputs(args),
      },
      opts,
      "jdcloud",
      "ImageLookup",
    );
    warnDeprecatedConfig();
  }
}

/** Inputs of an {@link ImageSearch}; each may be an `Input`. */
export interface ImageSearchArgs {
  /** What to search for and how to pick one image (as `findImage`). Changing it searches again. */
  readonly criteria: pulumi.Input<pulumi.Unwrap<FindImageCriteria>>;
  /** Any value; changing it searches again with the same criteria (e.g. a date, to re-pin on purpose). */
  readonly searchTrigger?: pulumi.Input<string>;
  /** On `pulumi refresh`, also search and report `latestImageId` and `newerAvailable`, without moving the pin. */
  readonly checkForNewer?: pulumi.Input<boolean>;
}

// As ImageLookup's, in the same module: the closure serializer captures a module's own functions by
// value, so `implementation` must be local to the resource it serves (an imported one would be
// required by a path the package does not export).
const imageSearchProvider: pulumi.dynamic.ResourceProvider = {
  async configure(req) {
    return implementation().configure(req);
  },
  async check(olds: Props, news: Props) {
    return implementation().search.check(olds, news);
  },
  async diff(id, olds: Props, news: Props) {
    return implementation().search.diff(id, olds, news);
  },
  async create(inputs: Props) {
    return implementation().search.create(inputs);
  },
  async read(id, props: Props) {
    return implementation().search.read(id, props);
  },
  async update(id, olds: Props, news: Props) {
    return implementation().search.update(id, olds, news);
  },
  async delete() {
    // Read-only: forgetting a search changes nothing in JD Cloud.
  },
};

// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging -- the merge gives the class the outputs
export interface ImageSearch extends ImageOutputs {}

/**
 * A search for one JD Cloud image, pinned in state: `up` and `preview` keep the image found while
 * the criteria and `searchTrigger` stay the same; `refresh` re-reads the pinned image by ID (one that
 * vanished drops the resource, so the next `up` searches again).
 *
 * Type token: `pulumi-nodejs:dynamic/jdcloud:ImageSearch`.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export class ImageSearch extends pulumi.dynamic.Resource {
  /** When the pinned image was searched for (ISO 8601). */
  declare readonly searchedAt: pulumi.Output<string>;
  /** How many images met the criteria then. */
  declare readonly matchCount: pulumi.Output<number>;
  /** With `checkForNewer`: what a search picks now (after a refresh); else the pinned image. */
  declare readonly latestImageId: pulumi.Output<string>;
  /** Whether `latestImageId` differs from the pinned image. */
  declare readonly newerAvailable: pulumi.Output<boolean>;
  /**
   * The region the search ran in: the criteria's `regionId`, else the default region when it ran.
   * A change of the default region is a new search there (a replacement, shown at preview).
   */
  declare readonly searchedRegionId: pulumi.Output<string>;
  /** The endpoint the search ran against (never its credentials); another endpoint is a new search. */
  declare readonly searchedEndpoint: pulumi.Output<string>;

  /**
   * @param name The Pulumi resource name.
   * @param args The criteria, and when to search again.
   * @param opts Resource options.
   */
  constructor(name: string, args: ImageSearchArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      imageSearchProvider,
      name,
      {
        ...Object.fromEntries(IMAGE_FIELDS.map((field) => [field, undefined])),
        searchedAt: undefined,
        matchCount: undefined,
        latestImageId: undefined,
        newerAvailable: undefined,
        searchedRegionId: undefined,
        searchedEndpoint: undefined,
        // Every key given, so that check names one that is no input (criteria keys written at the top level, say).
        ...givenInputs(args),
        resourceName: name,
      },
      opts,
      "jdcloud",
      "ImageSearch",
    );
    warnDeprecatedConfig();
  }
}
