/**
 * What an instance definition needs from an image, in the shapes JD Cloud's createInstances takes
 * (`InstanceSpec.systemDisk`, `InstanceSpec.dataDisks[]`: the official SDKs'
 * `InstanceDiskAttachmentSpec` with a `DiskSpec` as `cloudDiskSpec`) and the Terraform-bridged
 * `jdcloud` provider's instance takes (`systemDisk`, `dataDisks[]`). Pure functions of the image:
 * no request. Both image shapes are read: the `coc-vm` API's (`snapshots`) and the public `vm`
 * API's (`rootDeviceType`, `systemDisk`, `dataDisks`).
 */
import { InvalidArgumentError } from "./jdcloud/errors";
import type { Image, ImageDisk } from "./jdcloud/image";

/** What the program wants of the disks; each field optional. */
export interface WantedDisks {
  /** Desired system disk size in GB, for a cloud system disk; the image's own size wins when larger. */
  readonly systemDiskSizeGB?: number;
  /** Cloud disk type of a cloud system disk, e.g. `ssd.gp1`. Default: the image's, else `ssd.gp1`. */
  readonly systemDiskType?: string;
  /**
   * The system disk's category, `local` or `cloud`, for an image that does not say (the `coc-vm`
   * API's image): by default none is given, and JD Cloud takes the image's. An image that says
   * (`rootDeviceType`) decides; asking for the other category is an error.
   */
  readonly systemDiskCategory?: "local" | "cloud";
  /** Cloud disk type of data disks whose image disk does not say. Default `ssd.gp1`. */
  readonly dataDiskType?: string;
  /** Desired data disk size in GB; each disk's snapshot size wins when larger. */
  readonly dataDiskSizeGB?: number;
  /** Whether data disks are deleted with the instance. Default `true`. */
  readonly autoDelete?: boolean;
  /** The name of data disks whose image disk has none: `<prefix>-1`, `<prefix>-2`, ... Default `data`. */
  readonly dataDiskNamePrefix?: string;
}

/** The arguments of the plugin's `instanceDisks` and `terraformInstanceDisks`: the image and what is wanted of its disks. */
export interface InstanceDisksArgs extends WantedDisks {
  /** The image, as `getImage` returns it (either API's shape). */
  readonly image: Image;
}

/** A cloud disk's spec (the official `DiskSpec` fields a system disk needs): its size and type. */
export interface SystemCloudDiskSpec {
  /** Size in GB: at least the image's system disk. */
  readonly diskSizeGB: number;
  /** Cloud disk type, e.g. `ssd.gp1`. */
  readonly diskType: string;
}

/**
 * `InstanceSpec.systemDisk`: `local` (no `cloudDiskSpec`) for a `localDisk` image, `cloud` with its
 * size and type for a `cloudDisk` image; for an image that does not say, no `diskCategory` (JD
 * Cloud takes the image's) and a `cloudDiskSpec`, which JD Cloud uses for a cloud disk and ignores
 * for a local one.
 */
export interface SystemDiskSpec {
  /** `local` or `cloud`; none when the image does not say and none was asked for. */
  readonly diskCategory?: "local" | "cloud";
  /** The cloud disk to make; none for a local system disk. */
  readonly cloudDiskSpec?: SystemCloudDiskSpec;
}

/** The spec of a data disk made from an image's disk (official `DiskSpec` fields). */
export interface DataCloudDiskSpec {
  /** The disk's name: the image disk's (or snapshot's) name, else `data-1`, `data-2`, ... */
  readonly name: string;
  /** The snapshot it is made from, when the image's disk has one. */
  readonly snapshotId?: string;
  /** Size in GB: never below the snapshot's. */
  readonly diskSizeGB: number;
  /** Cloud disk type, e.g. `ssd.gp1`. */
  readonly diskType: string;
}

/** One `InstanceSpec.dataDisks[]` entry (an official `InstanceDiskAttachmentSpec`), made from one of the image's data disks. */
export interface DataDiskSpec {
  /** Always `cloud`: data disks are cloud disks. */
  readonly diskCategory: "cloud";
  /** Whether it is deleted with the instance. */
  readonly autoDelete: boolean;
  /** The device the image attaches it as, e.g. `vdb`, when the image says. */
  readonly deviceName?: string;
  /** The disk to make. */
  readonly cloudDiskSpec: DataCloudDiskSpec;
}

/** The disks of an `InstanceSpec` built from an image. */
export interface InstanceDisks {
  /** `InstanceSpec.systemDisk`. */
  readonly systemDisk: SystemDiskSpec;
  /** `InstanceSpec.dataDisks`: one per data disk of the image. */
  readonly dataDisks: readonly DataDiskSpec[];
}

/** The fields of an image `instanceDisks` reads: either API's shape. */
export type DiskSource = Pick<Image, "systemDiskSizeGB" | "snapshots"> &
  Partial<Pick<Image, "imageId" | "rootDeviceType" | "systemDisk" | "dataDisks">>;

const DEFAULT_DISK_TYPE = "ssd.gp1";
const DEFAULT_NAME_PREFIX = "data";

/** The system disk category the image requires, or undefined when it does not say. */
export function imageRootCategory(image: DiskSource): "local" | "cloud" | undefined {
  if (image.rootDeviceType === "localDisk" || (image.rootDeviceType === undefined && image.systemDisk?.diskCategory === "local"))
    return "local";
  if (image.rootDeviceType === "cloudDisk" || (image.rootDeviceType === undefined && image.systemDisk?.diskCategory === "cloud"))
    return "cloud";
  return undefined;
}

function checkWanted(wanted: WantedDisks): void {
  for (const field of ["systemDiskSizeGB", "dataDiskSizeGB"] as const) {
    const v = wanted[field];
    if (v !== undefined && !(Number.isSafeInteger(v) && v > 0)) {
      throw new InvalidArgumentError(field, `is ${String(v)}, not a whole number of GB above 0`, "give the size in whole GB, e.g. 60", {
        subject: "instanceDisks",
      });
    }
  }
  const category = wanted.systemDiskCategory;
  if (category !== undefined && category !== "local" && category !== "cloud") {
    throw new InvalidArgumentError(
      "systemDiskCategory",
      `is ${JSON.stringify(category)}, not 'local' or 'cloud'`,
      "pass 'local' or 'cloud'",
      {
        subject: "instanceDisks",
      },
    );
  }
}

/** One data disk of the image, whichever API described it: its snapshot, size, type, name and device. */
interface ImageDataDisk {
  readonly snapshotId?: string;
  readonly diskSizeGB: number;
  readonly diskType?: string;
  readonly name?: string;
  readonly deviceName?: string;
}

function imageDataDisks(image: DiskSource): ImageDataDisk[] {
  if (image.dataDisks !== undefined) {
    return image.dataDisks
      .filter((d: ImageDisk) => d.diskCategory === undefined || d.diskCategory === "cloud")
      .map((d) => ({
        ...(d.cloudDisk?.snapshotId !== undefined ? { snapshotId: d.cloudDisk.snapshotId } : {}),
        diskSizeGB: d.cloudDisk?.diskSizeGB ?? 0,
        ...(d.cloudDisk?.diskType !== undefined ? { diskType: d.cloudDisk.diskType } : {}),
        ...(d.cloudDisk?.name ? { name: d.cloudDisk.name } : {}),
        ...(d.deviceName !== undefined ? { deviceName: d.deviceName } : {}),
      }));
  }
  return (image.snapshots ?? [])
    .filter((s) => s.diskCategory === "data_disk")
    .map((s) => ({
      snapshotId: s.diskSnapshotId,
      diskSizeGB: s.diskSize,
      ...(s.diskType !== undefined ? { diskType: s.diskType } : {}),
      ...(s.diskSnapshotName ? { name: s.diskSnapshotName } : {}),
    }));
}

/**
 * The system disk and data disks of an `InstanceSpec` built from an image, in the fields of the
 * official createInstances models: a system disk that fits the image (`local` for a `localDisk`
 * image; `cloud`, at least the image's size, for a `cloudDisk` one; for an image that does not
 * say, the category left to JD Cloud unless `wanted.systemDiskCategory` says), and one cloud data
 * disk per data disk of the image (its snapshot, never below its size, its type and name).
 *
 * @throws InvalidArgumentError for a `wanted` size that is not a whole number above 0, or a
 *   `systemDiskCategory` the image does not allow.
 */
export function instanceDisksOf(image: DiskSource, wanted: WantedDisks = {}): InstanceDisks {
  checkWanted(wanted);
  const required = imageRootCategory(image);
  if (required !== undefined && wanted.systemDiskCategory !== undefined && wanted.systemDiskCategory !== required) {
    throw new InvalidArgumentError(
      "systemDiskCategory",
      `is '${wanted.systemDiskCategory}', but image ${image.imageId ? `'${image.imageId}' ` : ""}boots from a ${required} disk (rootDeviceType ${required === "local" ? "localDisk" : "cloudDisk"})`,
      `leave systemDiskCategory out, or choose an image with a ${wanted.systemDiskCategory} system disk`,
      { subject: "instanceDisks" },
    );
  }
  const category = required ?? wanted.systemDiskCategory;
  const systemSnapshot = (image.snapshots ?? []).find((s) => s.diskCategory === "system_disk");
  const cloud = image.systemDisk?.cloudDisk;
  const cloudDiskSpec: SystemCloudDiskSpec = {
    diskSizeGB: Math.max(wanted.systemDiskSizeGB ?? 0, image.systemDiskSizeGB, cloud?.diskSizeGB ?? 0),
    diskType: wanted.systemDiskType ?? cloud?.diskType ?? systemSnapshot?.diskType ?? DEFAULT_DISK_TYPE,
  };
  const systemDisk: SystemDiskSpec =
    category === "local" ? { diskCategory: "local" } : category === "cloud" ? { diskCategory: "cloud", cloudDiskSpec } : { cloudDiskSpec };
  const prefix = wanted.dataDiskNamePrefix ?? DEFAULT_NAME_PREFIX;
  const dataDisks = imageDataDisks(image).map((d, i): DataDiskSpec => ({
    diskCategory: "cloud",
    autoDelete: wanted.autoDelete ?? true,
    ...(d.deviceName !== undefined ? { deviceName: d.deviceName } : {}),
    cloudDiskSpec: {
      name: d.name ?? `${prefix}-${i + 1}`,
      ...(d.snapshotId !== undefined ? { snapshotId: d.snapshotId } : {}),
      diskSizeGB: Math.max(wanted.dataDiskSizeGB ?? 0, d.diskSizeGB),
      diskType: d.diskType ?? wanted.dataDiskType ?? DEFAULT_DISK_TYPE,
    },
  }));
  return { systemDisk, dataDisks };
}

/** The Terraform-bridged `jdcloud` provider's disk block (`system_disk`, `data_disk`), in the names a Pulumi program gives it. */
export interface TerraformDisk {
  /** `disk_category`: `local` or `cloud`; none when the image does not say (JD Cloud takes the image's). */
  readonly diskCategory?: "local" | "cloud";
  /** `auto_delete`. */
  readonly autoDelete?: boolean;
  /** `device_name`, e.g. `vdb`. */
  readonly deviceName?: string;
  /** `disk_name`. */
  readonly diskName?: string;
  /** `disk_type`, e.g. `ssd.gp1`. */
  readonly diskType?: string;
  /** `disk_size_gb`. */
  readonly diskSizeGb?: number;
  /** `snapshot_id`. */
  readonly snapshotId?: string;
}

/** The disk inputs of the bridged provider's `jdcloud:index/instance:Instance`: `systemDisk` (one block) and `dataDisks`. */
export interface TerraformInstanceDisks {
  /** `system_disk`, a block of at most one: an object. */
  readonly systemDisk: TerraformDisk;
  /** `data_disk`, a list of blocks. */
  readonly dataDisks: readonly TerraformDisk[];
}

/**
 * {@link instanceDisksOf} in the shape the Terraform `jdcloud` provider's instance takes through
 * `pulumi package add terraform-provider jdcloud-api/jdcloud`: its `system_disk` and `data_disk`
 * blocks, with the bridge's names (`disk_size_gb` → `diskSizeGb`; `system_disk`, at most one
 * block, → the object `systemDisk`; `data_disk` → the list `dataDisks`).
 */
export function terraformDisksOf(image: DiskSource, wanted: WantedDisks = {}): TerraformInstanceDisks {
  const { systemDisk, dataDisks } = instanceDisksOf(image, wanted);
  return {
    systemDisk:
      systemDisk.diskCategory === "local"
        ? { diskCategory: "local" }
        : {
            ...(systemDisk.diskCategory ? { diskCategory: systemDisk.diskCategory } : {}),
            ...(systemDisk.cloudDiskSpec
              ? { diskType: systemDisk.cloudDiskSpec.diskType, diskSizeGb: systemDisk.cloudDiskSpec.diskSizeGB }
              : {}),
          },
    dataDisks: dataDisks.map((d) => ({
      diskCategory: d.diskCategory,
      autoDelete: d.autoDelete,
      ...(d.deviceName !== undefined ? { deviceName: d.deviceName } : {}),
      diskName: d.cloudDiskSpec.name,
      diskType: d.cloudDiskSpec.diskType,
      diskSizeGb: d.cloudDiskSpec.diskSizeGB,
      ...(d.cloudDiskSpec.snapshotId !== undefined ? { snapshotId: d.cloudDiskSpec.snapshotId } : {}),
    })),
  };
}
