// The newest public Ubuntu image, two ways. `findImageOutput` follows the newest image on every
// preview and up; `ImageSearch` pins the one it found in state, so a newer image does not replace
// your instances until you change the criteria or `searchTrigger` (here: `pulumi config set
// searchTrigger <anything new>`). With `checkForNewer`, `pulumi refresh` reports a newer image in
// `latestImageId` without moving the pin.
import * as pulumi from "@pulumi/pulumi";
import { findImageOutput, ImageSearch, instanceDisks } from "pulumi-jdcloud-image";

const config = new pulumi.Config();
const criteria = { imageSource: "public", platform: "Ubuntu", osType: "linux", select: "mostRecent" } as const;

const newest = findImageOutput(criteria);
const pinned = new ImageSearch("ubuntu", { criteria, checkForNewer: true, searchTrigger: config.get("searchTrigger") ?? "initial" });

export const newestImageId = newest.imageId;
export const pinnedImageId = pinned.imageId;
export const pinnedName = pinned.name;
export const latestImageId = pinned.latestImageId;
export const newerAvailable = pinned.newerAvailable;
export const disks = pulumi
  .all([pinned.systemDiskSizeGB, pinned.snapshots])
  .apply(([systemDiskSizeGB, snapshots]) => instanceDisks({ systemDiskSizeGB, snapshots }, { systemDiskSizeGB: 60 }));
