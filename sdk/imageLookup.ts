/**
 * `ImageLookup`: the lookup kept in state, so `pulumi refresh` sees an image
 * that changed or vanished. A read-only dynamic resource: it never changes the cloud.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as impl from "../provider/imageProvider";
import type { Image, ImageRequirements, Snapshot } from "../provider/image";

/** Inputs of an {@link ImageLookup}; each may be an `Input`. */
export interface ImageLookupArgs {
  /** The image ID, e.g. `img-h8ly274zg9`. Changing it replaces the lookup. */
  readonly imageId: pulumi.Input<string>;
  /** The region; defaults to `jdcloud:region` or `JDCLOUD_REGION`. Changing it replaces the lookup. */
  readonly regionId?: pulumi.Input<string>;
  /** What the program needs of the image; checked at preview. Changing it updates the lookup. */
  readonly require?: pulumi.Input<pulumi.Unwrap<ImageRequirements>>;
}

type Impl = typeof impl;

/**
 * Loads the provider implementation in the provider host. The package is found
 * by name from the program's folder, as any dependency is; inside this package's
 * own checkout (its tests, the demo) it is found by self-reference instead.
 */
function implementation(): Impl {
  try {
    return require("pulumi-jdcloud-image/provider") as Impl;
  } catch (err) {
    if ((err as { code?: string }).code !== "MODULE_NOT_FOUND") throw err;
    const { createRequire } = require("node:module") as typeof import("node:module");
    const { join } = require("node:path") as typeof import("node:path");
    return createRequire(join(process.cwd(), "package.json"))("pulumi-jdcloud-image/provider") as Impl;
  }
}

// Each method loads the implementation when the engine calls it. Nothing but
// `implementation` is captured: the serialized provider is a few hundred bytes,
// holds no credential, and stays the same when the implementation changes.
const imageLookupProvider: pulumi.dynamic.ResourceProvider = {
  async configure(req) {
    return implementation().configure(req);
  },
  async check(olds, news) {
    return implementation().check(olds, news);
  },
  async diff(id, olds, news) {
    return implementation().diff(id, olds, news);
  },
  async create(inputs) {
    return implementation().create(inputs);
  },
  async read(id, props) {
    return implementation().read(id, props);
  },
  async update(id, olds, news) {
    return implementation().update(id, olds, news);
  },
  async delete() {
    // Read-only: forgetting the lookup changes nothing in JD Cloud.
  },
};

/**
 * A JD Cloud VM image looked up by ID and kept in Pulumi state. Its outputs are
 * every field of the API's Image; `check` reads the image at preview and fails
 * it when the image is missing or misses `require`.
 *
 * Type token: `pulumi-nodejs:dynamic/jdcloud:ImageLookup`.
 */
export class ImageLookup extends pulumi.dynamic.Resource {
  /** The image ID. */
  declare readonly imageId: pulumi.Output<string>;
  /** The region the image was read from. */
  declare readonly regionId: pulumi.Output<string>;
  /** The requirements checked, as given. */
  declare readonly require: pulumi.Output<ImageRequirements | undefined>;
  /** Third-party image ID, when there is one. */
  declare readonly partnerImageId: pulumi.Output<string | undefined>;
  /** The image's name. */
  declare readonly name: pulumi.Output<string>;
  /** OS platform: `Ubuntu`, `CentOS`, `Windows Server`, `Other Linux`, `Other Windows`. */
  declare readonly platform: pulumi.Output<Image["platform"]>;
  /** CPU architecture, e.g. `x86_64`. */
  declare readonly architecture: pulumi.Output<Image["architecture"]>;
  /** System disk size of the image, in GB. */
  declare readonly systemDiskSizeGB: pulumi.Output<number>;
  /** `public`, `thirdparty`, `private`, `shared` or `community`. */
  declare readonly imageSource: pulumi.Output<Image["imageSource"]>;
  /** `linux` or `windows`. */
  declare readonly osType: pulumi.Output<Image["osType"]>;
  /** The image status, e.g. `ready`. */
  declare readonly status: pulumi.Output<Image["status"]>;
  /** When the image was created. */
  declare readonly createTime: pulumi.Output<string | undefined>;
  /** The image's description. */
  declare readonly desc: pulumi.Output<string | undefined>;
  /** The owner's user PIN. */
  declare readonly ownerPin: pulumi.Output<string | undefined>;
  /** Disk snapshots of the image; empty for most public images. */
  declare readonly snapshots: pulumi.Output<readonly Snapshot[]>;

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
        imageId: args.imageId,
        regionId: args.regionId,
        require: args.require,
        partnerImageId: undefined,
        name: undefined,
        platform: undefined,
        architecture: undefined,
        systemDiskSizeGB: undefined,
        imageSource: undefined,
        osType: undefined,
        status: undefined,
        createTime: undefined,
        desc: undefined,
        ownerPin: undefined,
        snapshots: undefined,
      },
      opts,
      "jdcloud",
      "ImageLookup",
    );
  }
}
