/**
 * guardImages and guard_images with the real CLI and engine: examples/guard (TypeScript: ten
 * resources of three kinds, one with a retired image) and a Python stack of components, each
 * against the emulator. The bad image fails the preview with our sentence naming its resource and
 * property path; with it fixed the preview passes; each distinct image is asked for once; an image
 * ID another resource computes passes the preview and is checked during `up`, before the resource
 * that carries it is created; the guard changes no input.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { CHECKOUT_PLUGIN_DIR, ExampleStack, e2eEnvironment, hasStackTrace, useCheckoutPythonSdk, useEmulator } from "./stack";

/** describeImage requests the emulator answered, by image ID. */
function describeCounts(requests: readonly { imageId?: string; action?: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of requests) if (r.imageId) counts[r.imageId] = (counts[r.imageId] ?? 0) + 1;
  return counts;
}

describe("guardImages: examples/guard with the real Pulumi CLI (TypeScript, inline through the Automation API)", () => {
  const suite = useEmulator();
  let stack: ExampleStack;

  before(async () => {
    stack = new ExampleStack("guard", "e2e");
    await stack.init(suite.settings());
  });

  it("fails the preview with one sentence naming the resource and the property path of the retired image", async () => {
    const { code, output } = await stack.run(["preview", "--stack", stack.stack]);
    assert.notEqual(code, 0, output);
    const sentence =
      "Resource 'batch' (pulumi-nodejs:dynamic:Resource), instanceSpecs[1].imageId: JD Cloud has no image 'img-retired0001' in region cn-north-1";
    assert.ok(output.includes(sentence), output);
    assert.ok(!hasStackTrace(output), output);
    assert.ok(!/rpc error|grpc|UNKNOWN:/i.test(output), "no gRPC framing");
    assert.ok(!output.includes(suite.emulator.secretKey));
  });

  it("passes the preview once the image is fixed, asking for each distinct image once", async () => {
    await stack.ok(["config", "set", "batchImage", "img-ubnt2004lts", "--stack", stack.stack]);
    const before = suite.emulator.requests.length;
    const output = await stack.ok(["preview", "--stack", stack.stack]);
    assert.match(output, /\+ 11 to create/);
    const counts = describeCounts(suite.emulator.requests.slice(before));
    assert.deepEqual(counts, {
      "img-ubnt2204lts": 1,
      "img-m5s0centos8": 1,
      "img-h8ly274zg9": 1,
      "img-ubnt2404lts": 1,
      "img-ubnt2004lts": 1,
    });
  });

  it("checks an image ID that is unknown at preview during up, before the resource that carries it is created", async () => {
    await stack.ok(["config", "set", "goldenImage", "img-nosuch0002", "--stack", stack.stack]);
    await stack.ok(["preview", "--stack", stack.stack]);
    const { code, output } = await stack.run(["up", "--yes", "--stack", stack.stack]);
    assert.notEqual(code, 0, output);
    assert.ok(
      output.includes("Resource 'golden-vm' (pulumi-nodejs:dynamic:Resource), imageId: JD Cloud has no image 'img-nosuch0002'"),
      output,
    );
    const names = (await stack.resources()).map((r) => r.urn.split("::").pop());
    assert.ok(names.includes("golden-build"), "the image build ran");
    assert.ok(!names.includes("golden-vm"), "the VM with the missing image was not created");
  });

  it("deploys when every image passes, and leaves every input as the program gave it", async () => {
    await stack.ok(["config", "set", "goldenImage", "img-ubnt2404lts", "--stack", stack.stack]);
    await stack.ok(["up", "--yes", "--stack", stack.stack]);
    const resources = await stack.resources();
    assert.equal(resources.filter((r) => r.type !== "pulumi:providers:pulumi-nodejs").length, 11);
    const batch = resources.find((r) => r.urn.endsWith("::batch"));
    assert.deepEqual(batch?.inputs?.["instanceSpecs"], [
      { name: "batch-a", imageId: "img-ubnt2004lts", instanceType: "c.n2.large" },
      { name: "batch-b", imageId: "img-ubnt2004lts", instanceType: "c.n2.large" },
    ]);
    const vm = resources.find((r) => r.urn.endsWith("::web-vm-1"));
    assert.equal(vm?.inputs?.["imageId"], "img-ubnt2404lts");
    assert.ok(vm?.urn.includes("example:guard:WebTier$"), "inside the component");
  });
});

/** A Python stack of components with image IDs, guarded; `BAD` images come from config. */
const PYTHON_PROGRAM = `import asyncio

import pulumi
import pulumi_jdcloud_image as jdcloud_image

jdcloud_image.guard_images(
    require={"os_type": ["linux"]},
    image_sources=["public", "private"],
    paths=[{"type": "example:guard:Launcher", "path": "launch.specs[*].image"}],
)

config = pulumi.Config()


class Vm(pulumi.ComponentResource):
    def __init__(self, name, image_id, opts=None):
        super().__init__("example:guard:Vm", name, {"imageId": image_id, "instanceType": "g.n2.medium"}, opts)
        self.register_outputs({})


class InstanceRequest(pulumi.ComponentResource):
    def __init__(self, name, specs, opts=None):
        super().__init__("example:guard:InstanceRequest", name, {"instanceSpecs": specs, "maxCount": 1}, opts)
        self.register_outputs({})


class Launcher(pulumi.ComponentResource):
    """Image IDs where only a configured path finds them."""

    def __init__(self, name, images, opts=None):
        super().__init__("example:guard:Launcher", name, {"launch": {"specs": [{"image": i} for i in images]}}, opts)
        self.register_outputs({})


class WebTier(pulumi.ComponentResource):
    def __init__(self, name, image_id, size, opts=None):
        super().__init__("example:guard:WebTier", name, {}, opts)
        for i in range(size):
            Vm(f"{name}-vm-{i}", image_id, pulumi.ResourceOptions(parent=self))
        self.register_outputs({})


def built_image(image_id):
    """An image ID known only during up, as an image pipeline's output is."""
    loop = asyncio.get_event_loop()
    value, known = loop.create_future(), loop.create_future()
    value.set_result(image_id)
    known.set_result(not pulumi.runtime.is_dry_run())
    return pulumi.Output(set(), value, known)


Vm("app-0", "img-ubnt2204lts")
Vm("app-1", "img-m5s0centos8")
WebTier("web", "img-ubnt2404lts", 2)
InstanceRequest("batch", [
    {"name": "batch-a", "imageId": "img-ubnt2004lts"},
    {"name": "batch-b", "imageId": config.get("batchImage") or "img-retired0001"},
])
Launcher("launcher", ["img-ubnt2204lts", "img-h8ly274zg9"])
Vm("golden-vm", built_image(config.get("goldenImage") or "img-ubnt2404lts"))
`;

describe("guard_images: a Python stack of components with the real Pulumi CLI (inline through the Automation API)", () => {
  const suite = useEmulator();
  let stack: ExampleStack;

  before(async () => {
    const source = path.join(e2eEnvironment().workspace, "guard-python-source");
    fs.rmSync(source, { recursive: true, force: true });
    fs.mkdirSync(source, { recursive: true });
    fs.writeFileSync(path.join(source, "Pulumi.yaml"), "name: guard-python\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n");
    fs.writeFileSync(path.join(source, "__main__.py"), PYTHON_PROGRAM);
    stack = new ExampleStack("guard-python", "e2e", undefined, source);
    useCheckoutPythonSdk(stack.dir);
    const file = path.join(stack.dir, "Pulumi.yaml");
    fs.appendFileSync(file, `plugins:\n  providers:\n    - name: jdcloud-image\n      path: ${CHECKOUT_PLUGIN_DIR}\n`);
    await stack.init(suite.settings());
  });

  it("fails the preview with one sentence naming the resource and the property path", async () => {
    const { code, output } = await stack.run(["preview", "--stack", stack.stack]);
    assert.notEqual(code, 0, output);
    const sentence =
      "Resource 'batch' (example:guard:InstanceRequest), instanceSpecs[1].imageId: JD Cloud has no image 'img-retired0001' in region cn-north-1";
    assert.ok(output.includes(`error: ${sentence}`), output);
    assert.ok(!/Traceback|rpc error|invocation of/.test(output), output);
    // As the README says: the sentence, and (inline through the Automation API) one line of the SDK's inline server.
    const errors = [...new Set(output.split("\n").flatMap((line) => /error: (.*)$/.exec(line)?.[1] ?? []))].filter((e) => e !== "");
    for (const e of errors) {
      const ours = e.replace(/^(?:Exception calling application|an unhandled error occurred): /, "").startsWith(sentence);
      assert.ok(ours || e === "Exception calling application: invalid state", e);
    }
  });

  it("passes the preview once the image is fixed, asking for each distinct image once", async () => {
    await stack.ok(["config", "set", "batchImage", "img-ubnt2004lts", "--stack", stack.stack]);
    const before = suite.emulator.requests.length;
    await stack.ok(["preview", "--stack", stack.stack]);
    assert.deepEqual(describeCounts(suite.emulator.requests.slice(before)), {
      "img-ubnt2204lts": 1,
      "img-m5s0centos8": 1,
      "img-ubnt2404lts": 1,
      "img-ubnt2004lts": 1,
      "img-h8ly274zg9": 1, // at the configured path alone
    });
  });

  it("checks an image ID that is unknown at preview during up, before the resource is created", async () => {
    await stack.ok(["config", "set", "goldenImage", "img-nosuch0002", "--stack", stack.stack]);
    await stack.ok(["preview", "--stack", stack.stack]);
    const { code, output } = await stack.run(["up", "--yes", "--stack", stack.stack]);
    assert.notEqual(code, 0, output);
    assert.ok(output.includes("Resource 'golden-vm' (example:guard:Vm), imageId: JD Cloud has no image 'img-nosuch0002'"), output);
    const names = (await stack.resources()).map((r) => r.urn.split("::").pop());
    assert.ok(!names.includes("golden-vm"), "the component with the missing image was not registered");
    await stack.ok(["config", "set", "goldenImage", "img-ubnt2404lts", "--stack", stack.stack]);
    await stack.ok(["up", "--yes", "--stack", stack.stack]);
  });
});
