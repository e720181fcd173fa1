// Instance definitions built from an image: the system disk is at least the
// image's size, one data disk per data-disk snapshot, and user data chosen by the
// image's OS type. The specs are in the shape of JD Cloud createInstances'
// InstanceSpec and are exported, ready for a resource of your VM provider.
import * as pulumi from "@pulumi/pulumi";
import { getImageOutput, ImageLookup, instanceDisks, Image } from "pulumi-jdcloud-image";

const config = new pulumi.Config();
const imageId = config.get("imageId") ?? "img-h8ly274zg9";
const count = config.getNumber("count") ?? 2;
const instanceType = config.get("instanceType") ?? "g.n2.medium";

const image = getImageOutput({ imageId, require: { status: "ready", architecture: "x86_64" } });
const lookup = new ImageLookup("app-image", { imageId });

function userData(img: Image, index: number): string {
  return img.osType === "windows"
    ? `<powershell>Rename-Computer -NewName app-${index} -Force</powershell>`
    : `#cloud-config\nhostname: app-${index}\npackage_update: true\n`;
}

export const instances = image.apply((img) =>
  Array.from({ length: count }, (_, index) => ({
    name: `app-${index}`,
    instanceType,
    imageId: img.imageId,
    ...instanceDisks(img, { systemDiskSizeGB: 50 }),
    userData: Buffer.from(userData(img, index)).toString("base64"),
  })),
);
export const osType = image.osType;
export const dataDiskCount = image.apply((img) => instanceDisks(img).dataDisks.length);
export const trackedPlatform = lookup.platform;
