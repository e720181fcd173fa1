// The quickstart: look a JD Cloud image up by ID and export what an instance
// definition needs from it. `getImageOutput` runs during `pulumi preview`, so the
// preview already shows the values; `ImageLookup` keeps the lookup in state, so
// `pulumi refresh` sees an image that changed or vanished.
import * as pulumi from "@pulumi/pulumi";
import { getImageOutput, ImageLookup } from "pulumi-jdcloud-image";

const config = new pulumi.Config();
const imageId = config.get("imageId") ?? "img-h8ly274zg9";

const image = getImageOutput({ imageId, require: { osType: "linux" } });
const lookup = new ImageLookup("base-image", { imageId, require: { osType: "linux" } });

export const name = image.name;
export const platform = image.platform;
export const systemDiskSizeGB = image.systemDiskSizeGB;
export const snapshots = image.snapshots.apply((list) => list.map((s) => `${s.diskSnapshotId} (${s.diskCategory}, ${s.diskSize} GB)`));
export const trackedStatus = lookup.status;
export const trackedSystemDiskSizeGB = lookup.systemDiskSizeGB;
