// Instances defined from an image, exactly as JD Cloud's createInstances takes them: a system disk
// that fits the image (local or cloud, at least its size), one data disk per data-disk snapshot,
// and a launch script chosen by the image's OS type — then created with createInstances through
// JD Cloud's own JavaScript SDK. Against the bundled emulator, createInstances checks each request
// as JD Cloud's models and the image allow, and answers with instance IDs (it creates nothing).
import * as pulumi from "@pulumi/pulumi";
import { getImageOutput, ImageLookup, instanceDisks, Image } from "pulumi-jdcloud-image";

const config = new pulumi.Config();
const imageId = config.get("imageId") ?? "img-h8ly274zg9";
const count = config.getNumber("count") ?? 2;
const instanceType = config.get("instanceType") ?? "g.n2.medium";
const regionId = new pulumi.Config("jdcloud-image").get("region") ?? "cn-north-1";

const image = getImageOutput({ imageId, require: { status: "ready", architecture: "x86_64" } });
const lookup = new ImageLookup("app-image", { imageId });

/** The launch script JD Cloud runs at first boot: bash on Linux, PowerShell on Windows. */
function launchScript(img: Image, index: number): string {
  return img.osType === "windows"
    ? `<powershell>\nRename-Computer -NewName app-${index} -Force\n</powershell>`
    : `#!/bin/bash\nhostnamectl set-hostname app-${index}\n`;
}

/** createInstances' `InstanceSpec` for instance `index`: only fields of the official model. */
function instanceSpec(img: Image, index: number) {
  return {
    name: `app-${index}`,
    imageId: img.imageId,
    instanceType,
    ...instanceDisks(img, { systemDiskSizeGB: 50 }),
    userdata: [{ key: "launch-script", value: Buffer.from(launchScript(img, index)).toString("base64") }],
  };
}

/**
 * JD Cloud's createInstances through jdcloud-sdk-js, with the endpoint and credentials of the
 * stack's `jdcloud-image:*` config, which `configure` receives (they never enter state). A real
 * stack would also delete the instances (deleteInstance) when the resource goes.
 */
const createInstances: pulumi.dynamic.ResourceProvider = {
  async configure(req) {
    const get = (key: string): string | undefined => req.config.get(`jdcloud-image:${key}`);
    Object.assign(globalThis, {
      jdcloudInstancesConfig: { endpoint: get("endpoint"), accessKey: get("accessKey"), secretKey: get("secretKey") },
    });
  },
  async create(inputs: Record<string, unknown>) {
    /* eslint-disable @typescript-eslint/no-require-imports -- loaded in the provider host, from the program's folder */
    const { createRequire } = require("node:module") as typeof import("node:module");
    const load = createRequire(`${process.cwd()}/package.json`);
    const core = load("jdcloud-sdk-js/src/lib/core") as { config: { logger: (...args: unknown[]) => void } };
    load("jdcloud-sdk-js/src/lib/node_loader");
    core.config.logger = () => undefined; // the SDK would log signing material
    const VM = load("jdcloud-sdk-js/src/repo/vm/v1/vm") as new (options: object) => {
      createInstances(opts: object, regionId: string): Promise<{ result: { instanceIds: string[] } }>;
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
    const settings = (globalThis as { jdcloudInstancesConfig?: { endpoint?: string; accessKey?: string; secretKey?: string } })
      .jdcloudInstancesConfig;
    const url = new URL(settings?.endpoint ?? "https://vm.jdcloud-api.com");
    const client = new VM({
      credentials: { accessKeyId: settings?.accessKey, secretAccessKey: settings?.secretKey },
      endpoint: { host: url.host, protocol: url.protocol.replace(":", "") },
      logger: () => undefined,
    });
    const answer = await client.createInstances({ instanceSpec: inputs["instanceSpec"], maxCount: 1 }, String(inputs["regionId"]));
    const instanceId = answer.result.instanceIds[0] ?? "";
    return { id: instanceId, outs: { ...inputs, instanceId } };
  },
};

/** One instance made by createInstances from an `InstanceSpec`. */
class Instance extends pulumi.dynamic.Resource {
  declare readonly instanceId: pulumi.Output<string>;
  constructor(name: string, args: { regionId: string; instanceSpec: pulumi.Input<object> }, opts?: pulumi.CustomResourceOptions) {
    super(createInstances, name, { ...args, instanceId: undefined }, opts);
  }
}

const created = Array.from(
  { length: count },
  (_, index) => new Instance(`app-${index}`, { regionId, instanceSpec: image.apply((img) => instanceSpec(img, index)) }),
);

export const instances = image.apply((img) => Array.from({ length: count }, (_, index) => instanceSpec(img, index)));
export const instanceIds = created.map((i) => i.instanceId);
export const osType = image.osType;
export const dataDiskCount = image.apply((img) => instanceDisks(img).dataDisks.length);
export const trackedPlatform = lookup.platform;
