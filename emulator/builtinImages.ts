/**
 * The images the emulator serves when given no fixtures: realistic public images
 * in JD Cloud's four public regions, one private image with data-disk snapshots,
 * one still `pending` and one in `error`. Each also carries what the public `vm` API says of it
 * (`rootDeviceType`, `systemDisk`, `dataDisks`, ...), served when the emulator answers in the `vm`
 * shape: CentOS 8.2 boots from a local disk, every other image from a cloud disk.
 */
import type { EmulatorImage } from "./store";

/** JD Cloud's public regions. */
export const PUBLIC_REGIONS = ["cn-north-1", "cn-east-1", "cn-east-2", "cn-south-1"] as const;

const IMAGES: ReadonlyArray<Omit<EmulatorImage, "regionId">> = [
  {
    imageId: "img-ubnt2204lts",
    name: "Ubuntu 22.04 LTS 64位",
    platform: "Ubuntu",
    architecture: "x86_64",
    systemDiskSizeGB: 40,
    imageSource: "public",
    osType: "linux",
    status: "ready",
    createTime: "2023-05-16 10:21:33",
    desc: "Ubuntu 22.04 LTS, official image",
    ownerPin: "admin",
    snapshots: [],
  },
  {
    imageId: "img-m5s0centos8",
    name: "CentOS 8.2 64位",
    platform: "CentOS",
    architecture: "x86_64",
    systemDiskSizeGB: 40,
    imageSource: "public",
    osType: "linux",
    status: "ready",
    createTime: "2021-01-28 16:49:05",
    desc: "",
    ownerPin: "admin",
    snapshots: [],
  },
  {
    imageId: "img-win2019dc64",
    name: "Windows Server 2019 数据中心版 64位中文版",
    platform: "Windows Server",
    architecture: "x86_64",
    systemDiskSizeGB: 50,
    imageSource: "public",
    osType: "windows",
    status: "ready",
    createTime: "2022-03-09 14:02:51",
    desc: "Windows Server 2019 Datacenter, Chinese",
    ownerPin: "admin",
    snapshots: [],
  },
  {
    imageId: "img-h8ly274zg9",
    name: "web-app-golden-2026-11",
    platform: "Ubuntu",
    architecture: "x86_64",
    systemDiskSizeGB: 60,
    imageSource: "private",
    osType: "linux",
    status: "ready",
    createTime: "2026-11-02 09:14:27",
    desc: "Golden image: app server with data and log volumes",
    ownerPin: "jdcloud-demo",
    snapshots: [
      { diskSnapshotId: "snapshot-sys0h8ly27", diskSnapshotName: "system", diskSize: 60, diskCategory: "system_disk", diskType: "ssd.gp1" },
      { diskSnapshotId: "snapshot-dat1h8ly27", diskSnapshotName: "data", diskSize: 200, diskCategory: "data_disk", diskType: "ssd.gp1" },
      { diskSnapshotId: "snapshot-log2h8ly27", diskSnapshotName: "logs", diskSize: 100, diskCategory: "data_disk", diskType: "hdd.std1" },
    ],
  },
  {
    imageId: "img-pend1ng0001",
    name: "web-app-golden-2026-12 (copying)",
    platform: "Ubuntu",
    architecture: "x86_64",
    systemDiskSizeGB: 60,
    imageSource: "private",
    osType: "linux",
    status: "pending",
    createTime: "2026-11-27 18:40:02",
    desc: "Image still being created",
    ownerPin: "jdcloud-demo",
    snapshots: [],
  },
  {
    imageId: "img-err0rimg001",
    name: "broken-import",
    platform: "Other Linux",
    architecture: "x86_64",
    systemDiskSizeGB: 20,
    imageSource: "private",
    osType: "linux",
    status: "error",
    createTime: "2026-10-11 07:55:10",
    desc: "Import from object storage failed",
    ownerPin: "jdcloud-demo",
    snapshots: [],
  },
  // For image search: more Ubuntu versions (highestVersion), and community images of two owners,
  // the stranger's the newest (a search without ownerPins must not pick it silently).
  {
    imageId: "img-ubnt2004lts",
    name: "Ubuntu 20.04 LTS 64位",
    platform: "Ubuntu",
    architecture: "x86_64",
    systemDiskSizeGB: 40,
    imageSource: "public",
    osType: "linux",
    status: "ready",
    createTime: "2020-06-02 11:05:40",
    desc: "Ubuntu 20.04 LTS, official image",
    ownerPin: "admin",
    snapshots: [],
  },
  {
    imageId: "img-ubnt2404lts",
    name: "Ubuntu 24.04 LTS 64位",
    platform: "Ubuntu",
    architecture: "x86_64",
    systemDiskSizeGB: 40,
    imageSource: "public",
    osType: "linux",
    status: "ready",
    createTime: "2024-05-20 08:30:00",
    desc: "Ubuntu 24.04 LTS, official image",
    ownerPin: "admin",
    snapshots: [],
  },
  {
    imageId: "img-comm0alice1",
    name: "ubuntu-22.04-hardened",
    platform: "Ubuntu",
    architecture: "x86_64",
    systemDiskSizeGB: 40,
    imageSource: "community",
    osType: "linux",
    status: "ready",
    createTime: "2025-09-14 12:00:00",
    desc: "Hardened Ubuntu by a known publisher",
    ownerPin: "alice-publisher",
    snapshots: [],
  },
  {
    imageId: "img-comm0mal001",
    name: "ubuntu-22.04-hardened",
    platform: "Ubuntu",
    architecture: "x86_64",
    systemDiskSizeGB: 40,
    imageSource: "community",
    osType: "linux",
    status: "ready",
    createTime: "2026-11-20 03:33:33",
    desc: "Same name, someone else's image",
    ownerPin: "mallory-stranger",
    snapshots: [],
  },
];

/** What the public `vm` API adds for each built-in image: its OS version, login user and root device. */
const VM_DETAILS: Readonly<Record<string, { osVersion: string; loginName: string; rootDeviceType: "localDisk" | "cloudDisk" }>> = {
  "img-ubnt2204lts": { osVersion: "22.04", loginName: "root", rootDeviceType: "cloudDisk" },
  "img-m5s0centos8": { osVersion: "8.2", loginName: "root", rootDeviceType: "localDisk" },
  "img-win2019dc64": { osVersion: "2019", loginName: "Administrator", rootDeviceType: "cloudDisk" },
  "img-h8ly274zg9": { osVersion: "22.04", loginName: "root", rootDeviceType: "cloudDisk" },
  "img-pend1ng0001": { osVersion: "22.04", loginName: "root", rootDeviceType: "cloudDisk" },
  "img-err0rimg001": { osVersion: "", loginName: "root", rootDeviceType: "cloudDisk" },
  "img-ubnt2004lts": { osVersion: "20.04", loginName: "root", rootDeviceType: "cloudDisk" },
  "img-ubnt2404lts": { osVersion: "24.04", loginName: "root", rootDeviceType: "cloudDisk" },
  "img-comm0alice1": { osVersion: "22.04", loginName: "root", rootDeviceType: "cloudDisk" },
  "img-comm0mal001": { osVersion: "22.04", loginName: "root", rootDeviceType: "cloudDisk" },
};

/**
 * An image with the `vm` API's fields, made from its `coc-vm` fields as the `vm` API describes
 * such an image: a local system disk of the image's size, or a cloud one made from the image's
 * system-disk snapshot; one cloud data disk (vdb, vdc, ...) per data-disk snapshot.
 */
export function withVmFields(image: Omit<EmulatorImage, "regionId">): Omit<EmulatorImage, "regionId"> {
  const details = VM_DETAILS[image.imageId] ?? { osVersion: "", loginName: "root", rootDeviceType: "cloudDisk" as const };
  const snapshots = image.snapshots ?? [];
  const system = snapshots.find((s) => s.diskCategory === "system_disk");
  const local = details.rootDeviceType === "localDisk";
  return {
    ...image,
    osVersion: details.osVersion,
    loginName: details.loginName,
    launchPermission: image.imageSource === "private" ? "ownerOnly" : "all",
    rootDeviceType: details.rootDeviceType,
    bootMode: "bios",
    ...(system && !local ? { snapshotId: system.diskSnapshotId } : {}),
    systemDisk: local
      ? { diskCategory: "local", deviceName: "vda", localDisk: { diskType: "local", diskSizeGB: image.systemDiskSizeGB } }
      : {
          diskCategory: "cloud",
          autoDelete: true,
          deviceName: "vda",
          cloudDisk: {
            diskType: system?.diskType ?? "ssd.gp1",
            diskSizeGB: image.systemDiskSizeGB,
            ...(system ? { snapshotId: system.diskSnapshotId } : {}),
          },
        },
    dataDisks: snapshots
      .filter((s) => s.diskCategory === "data_disk")
      .map((s, i) => ({
        diskCategory: "cloud",
        autoDelete: true,
        deviceName: `vd${String.fromCharCode(98 + i)}`,
        cloudDisk: {
          ...(s.diskSnapshotName ? { name: s.diskSnapshotName } : {}),
          diskType: s.diskType ?? "ssd.gp1",
          diskSizeGB: s.diskSize,
          snapshotId: s.diskSnapshotId,
        },
      })),
  };
}

/** Every built-in image in every public region. */
export function builtinImages(): EmulatorImage[] {
  return PUBLIC_REGIONS.flatMap((regionId) => IMAGES.map((image) => ({ ...withVmFields(image), regionId })));
}
