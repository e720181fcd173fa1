// A preview gate: the stack needs a Linux image of Ubuntu or CentOS, at most
// 40 GB, and the default image is a Windows Server one, so `pulumi preview` fails
// on purpose — before anything is created — with one sentence naming the image,
// each requirement it misses, and what it has instead. Point `imageId` at a
// fitting image (`pulumi config set imageId img-ubnt2204lts`) and it passes.
import * as pulumi from "@pulumi/pulumi";
import { ImageLookup } from "pulumi-jdcloud-image";

const config = new pulumi.Config();

const gate = new ImageLookup("gate", {
  imageId: config.get("imageId") ?? "img-win2019dc64",
  require: { status: "ready", osType: "linux", platform: ["Ubuntu", "CentOS"], maxSystemDiskSizeGB: 40 },
});

export const platform = gate.platform;
