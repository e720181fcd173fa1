/**
 * What an instance definition needs from an image, in the shape of JD Cloud
 * createInstances' `InstanceSpec`: `systemDisk` and `dataDisks[].cloudDiskSpec`.
 */
import type { Image } from "../../provider/jdcloud/image";

/** What the program wants of the disks; each field optional. */
export interface WantedDisks {
  /** Desired system disk size in GB; the image's own size wins when larger. */
  readonly systemDiskSizeGB?: number;
  /** Cloud disk type of the system disk, e.g. `ssd.gp1`. Default `ssd.gp1`. */
  readonly systemDiskType?: string;
  /** Cloud disk type for data disks whose snapshot does not say. Default `ssd.gp1`. */
  readonly dataDiskType?: string;
  /** Whether data disks are deleted with the instance. Default `true`. */
  readonly autoDelete?: boolean;
}

/** `InstanceSpec.systemDisk`: a cloud disk of the given size. */
export interface SystemDiskSpec {
  readonly diskCategory: "cloud";
  readonly cloudDiskSpec: {
    readonly diskSizeGB: number;
    readonly diskType: string;
  };
}

/** One `InstanceSpec.dataDisks[]` entry, created from an image snapshot. */
export interface DataDiskSpec {
  readonly diskCategory: "cloud";
  readonly autoDelete: boolean;
  readonly cloudDiskSpec: {
    readonly snapshotId: string;
    readonly diskSizeGB: number;
    readonly diskType: string;
    readonly diskName?: string;
  };
}

/** The disks of an `InstanceSpec` built from an image. */
export interface InstanceDisks {
  readonly systemDisk: SystemDiskSpec;
  readonly dataDisks: readonly DataDiskSpec[];
}

const DEFAULT_DISK_TYPE = "ssd.gp1";

/**
 * A system disk of `max(wanted.systemDiskSizeGB, image.systemDiskSizeGB)` GB and one
 * data disk per `data_disk` snapshot of the image (its ID, size and type).
 *
 * @example
 * const spec = { imageId: img.imageId, instanceType: "g.n2.medium", ...instanceDisks(img, { systemDiskSizeGB: 60 }) };
 */
export function instanceDisks(image: Pick<Image, "systemDiskSizeGB" | "snapshots">, wanted: WantedDisks = {}): InstanceDisks {
  const size = Math.max(wanted.systemDiskSizeGB ?? 0, image.systemDiskSizeGB);
  return {
    systemDisk: {
      diskCategory: "cloud",
      cloudDiskSpec: { diskSizeGB: size, diskType: wanted.systemDiskType ?? DEFAULT_DISK_TYPE },
    },
    dataDisks: (image.snapshots ?? [])
      .filter((s) => s.diskCategory === "data_disk")
      .map((s) => ({
        diskCategory: "cloud" as const,
        autoDelete: wanted.autoDelete ?? true,
        cloudDiskSpec: {
          snapshotId: s.diskSnapshotId,
          diskSizeGB: s.diskSize,
          diskType: s.diskType ?? wanted.dataDiskType ?? DEFAULT_DISK_TYPE,
          ...(s.diskSnapshotName ? { diskName: s.diskSnapshotName } : {}),
        },
      })),
  };
}
