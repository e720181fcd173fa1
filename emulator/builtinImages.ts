/**
 * The images the emulator serves when given no fixtures: realistic public images
 * in JD Cloud's four public regions, one private image with data-disk snapshots,
 * one still `pending` and one in `error`.
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
];

/** Every built-in image in every public region. */
export function builtinImages(): EmulatorImage[] {
  return PUBLIC_REGIONS.flatMap((regionId) => IMAGES.map((image) => ({ ...image, regionId })));
}
