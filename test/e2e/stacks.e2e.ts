import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import type { ProgramMode } from "../../scripts/inline";
import { e2eEnvironment, ExampleStack, hasStackTrace, packedEmulator, assertDebugLines, modeTitle, modesFor } from "./stack";

type EmulatorModule = typeof import("../../emulator");
type Emulator = Awaited<ReturnType<EmulatorModule["startEmulator"]>>;

const LOOKUP = "pulumi-nodejs:dynamic/jdcloud:ImageLookup";
const REGION = "cn-north-1";

function lifecycle(
  example: string,
  checkPreview: (output: string) => void,
  checkOutputs: (outputs: Record<string, unknown>) => void,
): void {
  for (const mode of modesFor(example)) lifecycleIn(mode, example, checkPreview, checkOutputs);
}

function lifecycleIn(
  mode: ProgramMode,
  example: string,
  checkPreview: (output: string) => void,
  checkOutputs: (outputs: Record<string, unknown>) => void,
): void {
  describe(`examples/${example} with the real Pulumi CLI, ${modeTitle(mode)}`, () => {
    let emulator: Emulator;
    let stack: ExampleStack;

    before(async () => {
      emulator = await packedEmulator().startEmulator({});
      stack = new ExampleStack(example, "e2e", undefined, undefined, mode);
      await stack.init({ endpoint: emulator.endpoint, accessKey: emulator.accessKey, secretKey: emulator.secretKey, region: REGION });
    });
    after(async () => {
      await emulator?.close();
    });

    it("preview shows the image's values", async () => {
      checkPreview(await stack.ok(["preview", "--stack", stack.stack]));
    });

    it("preview --debug shows where settings came from and JD Cloud's request IDs, never the secret key", async () => {
      const output = await stack.ok(["preview", "--debug", "--stack", stack.stack]);
      assertDebugLines(output, emulator.secretKey);
    });

    it("up exports them", async () => {
      await stack.ok(["up", "--yes", "--skip-preview", "--stack", stack.stack]);
      checkOutputs(await stack.outputs());
    });

    it("refresh sees an image that changed", async () => {
      assert.ok(emulator.updateImage(REGION, "img-h8ly274zg9", { systemDiskSizeGB: 80, desc: "rebuilt" }));
      await stack.ok(["refresh", "--yes", "--skip-preview", "--stack", stack.stack]);
      const lookup = (await stack.resources()).find((r) => r.type === LOOKUP);
      assert.equal(lookup?.outputs?.["systemDiskSizeGB"], 80);
      assert.equal(lookup?.outputs?.["desc"], "rebuilt");
    });

    it("refresh drops the ImageLookup when the image is gone", async () => {
      assert.ok(emulator.removeImage(REGION, "img-h8ly274zg9"));
      await stack.ok(["refresh", "--yes", "--skip-preview", "--stack", stack.stack]);
      assert.equal((await stack.resources()).filter((r) => r.type === LOOKUP).length, 0);
    });

    it("destroy leaves an empty stack", async () => {
      await stack.ok(["destroy", "--yes", "--skip-preview", "--stack", stack.stack]);
      assert.deepEqual(await stack.resources(), []);
    });

    it("never writes the secret key to state, files or output", () => {
      assert.ok(!stack.storedText().includes(emulator.secretKey), "secret key in state or stack files");
      assert.ok(!stack.transcript.join("\n").includes(emulator.secretKey), "secret key in CLI output");
      assert.ok(stack.transcript.length >= 8);
    });
  });
}

lifecycle(
  "quickstart",
  (output) => {
    assert.match(output, /platform\s*: "Ubuntu"/);
    assert.match(output, /systemDiskSizeGB\s*: 60/);
    assert.match(output, /snapshot-dat1h8ly27 \(data_disk, 200 GB\)/);
  },
  (outputs) => {
    assert.equal(outputs["platform"], "Ubuntu");
    assert.equal(outputs["systemDiskSizeGB"], 60);
    assert.equal((outputs["snapshots"] as unknown[]).length, 3);
    assert.equal(outputs["trackedStatus"], "ready");
    assert.equal(outputs["trackedSystemDiskSizeGB"], 60);
  },
);

lifecycle(
  "instances",
  (output) => {
    assert.match(output, /snapshot-dat1h8ly27/);
    assert.match(output, /diskSizeGB\s*: 60/);
  },
  (outputs) => {
    const instances = outputs["instances"] as Array<{
      systemDisk: { cloudDiskSpec: { diskSizeGB: number } };
      dataDisks: Array<{ cloudDiskSpec: { snapshotId: string; name: string } }>;
      userdata: Array<{ key: string; value: string }>;
    }>;
    assert.equal(instances.length, 2);
    assert.equal(instances[0]?.systemDisk.cloudDiskSpec.diskSizeGB, 60);
    assert.deepEqual(
      instances[0]?.dataDisks.map((d) => [d.cloudDiskSpec.snapshotId, d.cloudDiskSpec.name]),
      [
        ["snapshot-dat1h8ly27", "data"],
        ["snapshot-log2h8ly27", "logs"],
      ],
    );
    assert.equal(instances[1]?.userdata[0]?.key, "launch-script");
    assert.match(
      Buffer.from(instances[1]?.userdata[0]?.value ?? "", "base64").toString(),
      /^#!\/bin\/bash\nhostnamectl set-hostname app-1/,
    );
    // The emulator's createInstances took each spec, as JD Cloud's models and the image allow.
    const ids = outputs["instanceIds"] as string[];
    assert.equal(ids.length, 2);
    for (const id of ids) assert.match(id, /^i-[0-9a-f]{10}$/);
    assert.equal(outputs["dataDiskCount"], 2);
    assert.equal(outputs["trackedPlatform"], "Ubuntu");
  },
);

describe("previews that must fail, with the real Pulumi CLI", () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await packedEmulator().startEmulator({});
  });
  after(async () => {
    await emulator?.close();
  });
  const settings = () => ({ endpoint: emulator.endpoint, accessKey: emulator.accessKey, secretKey: emulator.secretKey, region: REGION });

  it("a wrong image ID fails the preview with a short message naming the image", async () => {
    const stack = new ExampleStack("quickstart", "wrong-id");
    await stack.init(settings(), { imageId: "img-doesnotexist" });
    const { code, output } = await stack.run(["preview", "--stack", stack.stack]);
    assert.notEqual(code, 0);
    assert.match(output, /JD Cloud has no image 'img-doesnotexist' in region cn-north-1/);
    assert.ok(!hasStackTrace(output), output);
    assert.ok(!output.includes(emulator.secretKey));
  });

  it("an image that misses require fails the preview with a short message naming the image and each miss", async () => {
    const stack = new ExampleStack("preview-gate");
    await stack.init(settings());
    const { code, output } = await stack.run(["preview", "--stack", stack.stack]);
    assert.notEqual(code, 0);
    assert.match(output, /Image 'img-win2019dc64' in region cn-north-1 does not meet the requirements/);
    assert.match(output, /osType wanted 'linux', found 'windows'/);
    assert.match(output, /systemDiskSizeGB at most 40, found 50/);
    assert.ok(!hasStackTrace(output), output);
    assert.deepEqual(await stack.resources(), []);
  });

  /** How often a sentence appears in the output. */
  const count = (output: string, sentence: RegExp): number => output.match(new RegExp(sentence.source, "g"))?.length ?? 0;

  it("missing credentials fail the preview once per form, with no stack trace or Node warning", async () => {
    const stack = new ExampleStack("quickstart", "no-credentials");
    await stack.init(settings());
    await stack.ok(["config", "rm", "jdcloud-image:accessKey", "--stack", stack.stack]);
    const { code, output } = await stack.run(["preview", "--stack", stack.stack]);
    assert.notEqual(code, 0);
    // The quickstart has a getImageOutput and an ImageLookup of the same image: each form fails,
    // and each sentence is printed on its live line and in Diagnostics, no more.
    const program = count(output, /error: Invalid credentials for image 'img-h8ly274zg9': no access key was found/);
    const resource = count(output, /resource 'base-image' has a problem: Invalid credentials for image 'img-h8ly274zg9'/);
    assert.ok(program >= 1 && program <= 2, output);
    assert.ok(resource <= 2, output);
    assert.ok(!hasStackTrace(output), output);
    assert.doesNotMatch(output, /Warning:|PromiseRejection/);
  });

  it("a stopped endpoint fails the preview with the network sentence, no stack trace", async () => {
    const stopped = await packedEmulator().startEmulator({});
    const endpoint = stopped.endpoint;
    await stopped.close();
    const stack = new ExampleStack("quickstart", "stopped");
    await stack.init({ ...settings(), endpoint }, { "jdcloud-image:maxRetries": "0" });
    const { code, output } = await stack.run(["preview", "--stack", stack.stack]);
    assert.notEqual(code, 0);
    const sentence =
      /describeImage for image 'img-h8ly274zg9' in region cn-north-1 at http:\/\/127\.0\.0\.1:\d+ failed \(connect ECONNREFUSED/;
    assert.ok(count(output, sentence) >= 1, output);
    assert.ok(!hasStackTrace(output), output);
    assert.doesNotMatch(output, /Warning:|PromiseRejection/);
  });

  it("the gate passes once it points at a fitting image", async () => {
    const stack = new ExampleStack("preview-gate", "fits");
    await stack.init(settings(), { imageId: "img-ubnt2204lts" });
    await stack.ok(["preview", "--stack", stack.stack]);
  });

  it("uses the package installed from the packed tarball", () => {
    const { workspace } = e2eEnvironment();
    const resolved = createRequire(path.join(workspace, "package.json")).resolve("pulumi-jdcloud-image");
    assert.equal(
      resolved,
      fs.realpathSync(path.join(workspace, "node_modules", "pulumi-jdcloud-image", "dist", "sdk", "nodejs", "index.js")),
    );
    assert.ok(!fs.lstatSync(path.join(workspace, "node_modules", "pulumi-jdcloud-image")).isSymbolicLink(), "installed, not linked");
  });
});
