/**
 * The types users hover over: `Image`, `Snapshot` and `ImageRequirements`, declared by hand so
 * the editor shows a doc line on every field, and tied to the zod schemas at compile time
 * (schemas.ts), so neither can drift.
 *
 * Enumerations come in two shapes. What JD Cloud *sends* (`Image.osType`, `status`, ...) is a
 * literal union widened with `(string & {})`: editors still suggest the known values, and a value
 * JD Cloud adds tomorrow type-checks and parses instead of breaking a program. What a program
 * *asks for* (`ImageRequirements`) is the closed union, so a misspelt `"linx"` does not compile.
 */

/** An open string: any value, but editors still offer the literals it is united with. */
export type OpenString = string & {};

/** OS types JD Cloud documents. */
export const OS_TYPES = ["linux", "windows"] as const;
/** Image statuses JD Cloud documents (see its "image status" page). */
export const IMAGE_STATUSES = ["pending", "ready", "deleting", "error"] as const;
/** Image sources: `public` (official), `thirdparty` (marketplace), `private` (yours), `shared` (shared with you), `community`. */
export const IMAGE_SOURCES = ["public", "thirdparty", "private", "shared", "community"] as const;
/** CPU architectures of JD Cloud images. */
export const ARCHITECTURES = ["x86_64", "aarch64"] as const;
/** OS platforms JD Cloud documents. */
export const PLATFORMS = ["Ubuntu", "CentOS", "Windows Server", "Other Linux", "Other Windows"] as const;
/** What a snapshot of an image holds. */
export const DISK_CATEGORIES = ["system_disk", "data_disk"] as const;
/** The system disk an image boots from (the public `vm` API's `rootDeviceType`): a local disk, or a cloud disk. */
export const ROOT_DEVICE_TYPES = ["localDisk", "cloudDisk"] as const;
/** Who may use an image (the `vm` API's `launchPermission`). */
export const LAUNCH_PERMISSIONS = ["all", "specifiedUsers", "ownerOnly"] as const;
/** How an instance's disk is made: `local` (on the host) or `cloud` (a cloud disk). */
export const ATTACHMENT_CATEGORIES = ["local", "cloud"] as const;

/** OS types JD Cloud documents: `linux`, `windows`. */
export type KnownOsType = (typeof OS_TYPES)[number];
/** Image statuses JD Cloud documents: `pending`, `ready`, `deleting`, `error`. */
export type KnownImageStatus = (typeof IMAGE_STATUSES)[number];
/** Image sources: `public`, `thirdparty`, `private`, `shared`, `community`. */
export type KnownImageSource = (typeof IMAGE_SOURCES)[number];
/** CPU architectures: `x86_64`, `aarch64`. */
export type KnownArchitecture = (typeof ARCHITECTURES)[number];
/** OS platforms JD Cloud documents: `Ubuntu`, `CentOS`, `Windows Server`, `Other Linux`, `Other Windows`. */
export type KnownPlatform = (typeof PLATFORMS)[number];
/** What a snapshot holds: `system_disk` or `data_disk`. */
export type KnownDiskCategory = (typeof DISK_CATEGORIES)[number];
/** The system disk an image boots from: `localDisk` or `cloudDisk`. */
export type KnownRootDeviceType = (typeof ROOT_DEVICE_TYPES)[number];
/** Who may use an image: `all`, `specifiedUsers` or `ownerOnly`. */
export type KnownLaunchPermission = (typeof LAUNCH_PERMISSIONS)[number];
/** How a disk is made: `local` or `cloud`. */
export type KnownAttachmentCategory = (typeof ATTACHMENT_CATEGORIES)[number];

/** A local disk of an image (the `vm` API's `LocalDisk`). */
export interface ImageLocalDisk {
  /** The local disk type, e.g. `local`. */
  readonly diskType?: string;
  /** Its size in GB. */
  readonly diskSizeGB?: number;
}

/** A cloud disk of an image (the `vm` API's `Disk`, as an image describes it). */
export interface ImageCloudDisk {
  /** The disk's name, when it has one. */
  readonly name?: string;
  /** The cloud disk type, e.g. `ssd.gp1`. */
  readonly diskType?: string;
  /** Its size in GB: a disk made from it must be at least this large. */
  readonly diskSizeGB?: number;
  /** The snapshot the disk is made from, e.g. `snapshot-h8u1vn1m3o`. */
  readonly snapshotId?: string;
  /** Whether the disk is encrypted. */
  readonly encrypted?: boolean;
}

/** One disk of an image as the `vm` API describes it (its `InstanceDiskAttachment`). */
export interface ImageDisk {
  /** `local` or `cloud`. */
  readonly diskCategory?: KnownAttachmentCategory | OpenString;
  /** Whether the disk is deleted with the instance. */
  readonly autoDelete?: boolean;
  /** The device it is attached as, e.g. `vdb`. */
  readonly deviceName?: string;
  /** The disk, when `diskCategory` is `local`. */
  readonly localDisk?: ImageLocalDisk;
  /** The disk, when `diskCategory` is `cloud`. */
  readonly cloudDisk?: ImageCloudDisk;
}

/** One disk snapshot that a (private) image is made of. */
export interface Snapshot {
  /** The disk snapshot ID, e.g. `snapshot-h8u1vn1m3o`; a data disk created from it starts with its content. */
  readonly diskSnapshotId: string;
  /** The snapshot's name, when it has one. */
  readonly diskSnapshotName?: string;
  /** The snapshot's disk size, in GB. */
  readonly diskSize: number;
  /** `system_disk` or `data_disk`; `instanceDisks` makes one data disk per `data_disk` snapshot. */
  readonly diskCategory: KnownDiskCategory | OpenString;
  /** The cloud disk type, e.g. `ssd.gp1`, when JD Cloud says. */
  readonly diskType?: string;
}

/** A JD Cloud VM image: every field of the API's `Image`, plus the region it was read from. */
export interface Image {
  /** The image ID, e.g. `img-h8ly274zg9`. IDs differ per region: a copied image gets a new ID. */
  readonly imageId: string;
  /** The region the image was read from, e.g. `cn-north-1`. */
  readonly regionId: string;
  /** The third-party (marketplace) image ID, when there is one. */
  readonly partnerImageId?: string;
  /** The image's name, e.g. `Ubuntu 22.04 LTS 64位`. */
  readonly name: string;
  /** The OS platform: `Ubuntu`, `CentOS`, `Windows Server`, `Other Linux` or `Other Windows`. */
  readonly platform: KnownPlatform | OpenString;
  /** The CPU architecture, e.g. `x86_64`, when JD Cloud says. */
  readonly architecture?: KnownArchitecture | OpenString;
  /** The image's system disk size in GB: an instance's system disk must be at least this large. */
  readonly systemDiskSizeGB: number;
  /** Where the image comes from: `public`, `thirdparty`, `private`, `shared` or `community`, when JD Cloud says. */
  readonly imageSource?: KnownImageSource | OpenString;
  /** `linux` or `windows`: decides, for example, the user-data format. */
  readonly osType: KnownOsType | OpenString;
  /** The image status; only a `ready` image can start instances. */
  readonly status: KnownImageStatus | OpenString;
  /** When the image was created, as JD Cloud writes it (`2021-01-28 16:49:05`, no time zone). */
  readonly createTime?: string;
  /** The image's description. */
  readonly desc?: string;
  /** The owner's user PIN (`admin` for official images). */
  readonly ownerPin?: string;
  /** The image's disk snapshots (private images; the `coc-vm` API); always an array, empty when there are none. */
  readonly snapshots: readonly Snapshot[];
  /** The OS version, e.g. `22.04` (the public `vm` API). */
  readonly osVersion?: string;
  /** The image's size in MB (the `vm` API). */
  readonly sizeMB?: number;
  /** The user to log in as, e.g. `root` (the `vm` API). */
  readonly loginName?: string;
  /** Who may use the image: `all`, `specifiedUsers` or `ownerOnly` (the `vm` API). */
  readonly launchPermission?: KnownLaunchPermission | OpenString;
  /**
   * The system disk the image boots from: `localDisk` or `cloudDisk` (the `vm` API). An instance's
   * system disk must match it: `instanceDisks` makes a `local` one for `localDisk`, a `cloud` one for `cloudDisk`.
   */
  readonly rootDeviceType?: KnownRootDeviceType | OpenString;
  /** The snapshot a `cloudDisk` image's system disk is made from (the `vm` API). */
  readonly snapshotId?: string;
  /** The image's system disk (the `vm` API). */
  readonly systemDisk?: ImageDisk;
  /** The image's data disks (the `vm` API): `instanceDisks` makes one data disk for each. */
  readonly dataDisks?: readonly ImageDisk[];
  /** The boot mode, e.g. `bios` or `uefi` (the `vm` API). */
  readonly bootMode?: string;
}

/** One value, or a list of accepted values. */
export type OneOrMore<T> = T | readonly T[];

/**
 * What a program needs of an image. Each field is optional; a list accepts any of its values. A
 * miss fails the lookup with an `ImageRequirementError` naming every field that missed.
 */
export interface ImageRequirements {
  /** Accepted statuses. Default `"ready"`, even when `require` is omitted; `"any"` accepts every status. */
  readonly status?: OneOrMore<KnownImageStatus | "any">;
  /** Accepted OS types, e.g. `"linux"`. */
  readonly osType?: OneOrMore<KnownOsType>;
  /** Accepted platforms, e.g. `["Ubuntu", "CentOS"]`. Open: JD Cloud adds platforms more often than anything else. */
  readonly platform?: OneOrMore<KnownPlatform | OpenString>;
  /** Accepted architectures, e.g. `"x86_64"`. */
  readonly architecture?: OneOrMore<KnownArchitecture>;
  /** Accepted sources, e.g. `["public", "private"]`. */
  readonly imageSource?: OneOrMore<KnownImageSource>;
  /** The largest system disk the program accepts, in GB (a whole number above 0). */
  readonly maxSystemDiskSizeGB?: number;
}

/** The fields of {@link Image} only the public `vm` API's image has (the `coc-vm` API's has `snapshots` and `partnerImageId` instead). */
export const VM_IMAGE_FIELDS = [
  "osVersion",
  "sizeMB",
  "loginName",
  "launchPermission",
  "rootDeviceType",
  "snapshotId",
  "systemDisk",
  "dataDisks",
  "bootMode",
] as const satisfies ReadonlyArray<keyof Image>;

/** Every field of {@link Image}, once, for code that walks them (the ImageLookup outputs). */
export const IMAGE_FIELDS = [
  "imageId",
  "regionId",
  "partnerImageId",
  "name",
  "platform",
  "architecture",
  "systemDiskSizeGB",
  "imageSource",
  "osType",
  "status",
  "createTime",
  "desc",
  "ownerPin",
  "snapshots",
  ...VM_IMAGE_FIELDS,
] as const satisfies ReadonlyArray<keyof Image>;

// The list names every field: adding one to Image without listing it does not compile.
const _everyField: Record<Exclude<keyof Image, (typeof IMAGE_FIELDS)[number]>, never> = {};
void _everyField;
