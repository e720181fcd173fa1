// The preview gate for every instance definition: one line, guardImages(), at the top of the
// program, and every resource registered after it has the JD Cloud image IDs in its inputs looked
// up before it is registered — resources of any provider, inside components too. Ten resources of
// three kinds carry image IDs here: instance-like resources (`Vm`, two of them inside a component),
// createInstances-shaped requests (`instanceSpec`, `instanceSpecs[]`), and a VM whose image another
// resource builds. One request still names a retired image: `pulumi preview` fails, naming it.
import * as pulumi from "@pulumi/pulumi";
import { guardImages } from "pulumi-jdcloud-image";

guardImages({
  require: { osType: "linux" },
  imageSources: ["public", "private"],
});

const config = new pulumi.Config();

/** Stands in for your VM provider's resources: it keeps its inputs as its outputs. */
const recorder: pulumi.dynamic.ResourceProvider = {
  async create(inputs: Record<string, unknown>) {
    return { id: `fake-${String(inputs["name"])}`, outs: inputs };
  },
};

/** An instance-like resource, as a VM provider's `Instance` takes one: a top-level `imageId`. */
class Vm extends pulumi.dynamic.Resource {
  declare readonly imageId: pulumi.Output<string>;
  constructor(name: string, args: { imageId: pulumi.Input<string>; instanceType: string }, opts?: pulumi.CustomResourceOptions) {
    super(recorder, name, { name, ...args }, opts);
  }
}

/** The shape of JD Cloud's createInstances request: `instanceSpec` (or `instanceSpecs[]`), `maxCount`. */
interface InstanceSpec {
  readonly name: string;
  readonly imageId: pulumi.Input<string>;
  readonly instanceType: string;
}
class InstanceRequest extends pulumi.dynamic.Resource {
  constructor(
    name: string,
    args: { regionId?: string; instanceSpec?: InstanceSpec; instanceSpecs?: InstanceSpec[]; maxCount: number },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(recorder, name, { name, ...args }, opts);
  }
}

/** Stands in for an image pipeline: the image it builds is known only once it has run (during `up`). */
class ImageBuild extends pulumi.dynamic.Resource {
  declare readonly imageId: pulumi.Output<string>;
  constructor(name: string, args: { recipe: string; result: string }, opts?: pulumi.CustomResourceOptions) {
    super(
      {
        async create(inputs: Record<string, unknown>) {
          return { id: name, outs: { ...inputs, imageId: inputs["result"] } };
        },
      },
      name,
      { ...args, imageId: undefined },
      opts,
    );
  }
}

/** A component of several VMs: the guard sees the resources inside it too. */
class WebTier extends pulumi.ComponentResource {
  constructor(name: string, args: { imageId: string; size: number }, opts?: pulumi.ComponentResourceOptions) {
    super("example:guard:WebTier", name, {}, opts);
    for (let i = 0; i < args.size; i++) {
      new Vm(`${name}-vm-${i}`, { imageId: args.imageId, instanceType: "g.n2.medium" }, { parent: this });
    }
    this.registerOutputs({});
  }
}

new Vm("app-0", { imageId: "img-ubnt2204lts", instanceType: "g.n2.medium" });
new Vm("app-1", { imageId: "img-m5s0centos8", instanceType: "g.n2.large" });
new Vm("app-2", { imageId: "img-h8ly274zg9", instanceType: "g.n2.medium" });
new WebTier("web", { imageId: "img-ubnt2404lts", size: 2 });
new InstanceRequest("workers", {
  regionId: "cn-north-1",
  instanceSpec: { name: "worker", imageId: "img-ubnt2204lts", instanceType: "c.n2.large" },
  maxCount: 3,
});
new InstanceRequest("batch", {
  instanceSpecs: [
    { name: "batch-a", imageId: "img-ubnt2004lts", instanceType: "c.n2.large" },
    { name: "batch-b", imageId: config.get("batchImage") ?? "img-retired0001", instanceType: "c.n2.large" },
  ],
  maxCount: 1,
});
const golden = new ImageBuild("golden-build", { recipe: "ubuntu-hardened", result: config.get("goldenImage") ?? "img-ubnt2404lts" });
new Vm("golden-vm", { imageId: golden.imageId, instanceType: "g.n2.medium" });
