/**
 * The quickstart stack on every cell of the compatibility matrix (scripts/compat.ts prepares a
 * workspace per cell: the packed package with that `@pulumi/pulumi`, run by that Node.js): inline
 * through that `@pulumi/pulumi`'s Automation API, and also as a file program where the official
 * Node.js host is found.
 */
import { strict as assert } from "node:assert";
import { createRequire } from "node:module";
import * as path from "node:path";
import { ExampleStack, StackEnvironment, hasStackTrace, modeTitle, modesFor } from "../e2e/stack";

type EmulatorModule = typeof import("../../emulator");
type Emulator = Awaited<ReturnType<EmulatorModule["startEmulator"]>>;

interface Case extends StackEnvironment {
  readonly name: string;
  readonly nodeVersion: string;
}

function cases(): Case[] {
  const raw = process.env["COMPAT_CASES"];
  if (!raw) throw new Error("run the compatibility suite with `npm run test:compat`, which prepares a workspace per case");
  return JSON.parse(raw) as Case[];
}

const REGION = "cn-north-1";
const LOOKUP = "pulumi-nodejs:dynamic/jdcloud:ImageLookup";

for (const env of cases()) {
  for (const mode of modesFor("quickstart", env)) {
    describe(`quickstart on ${env.name}, ${modeTitle(mode)}`, () => {
      let emulator: Emulator;
      let stack: ExampleStack;
      before(async () => {
        const packed = createRequire(path.join(env.workspace, "package.json"))("pulumi-jdcloud-image/emulator") as EmulatorModule;
        emulator = await packed.startEmulator({});
        stack = new ExampleStack("quickstart", "compat", env, undefined, mode);
        await stack.init({ endpoint: emulator.endpoint, accessKey: emulator.accessKey, secretKey: emulator.secretKey, region: REGION });
      });
      after(async () => {
        await emulator?.close();
      });

      it("runs the program with the Node.js and @pulumi/pulumi of this case", async () => {
        const pulumiVersion = (
          createRequire(path.join(env.workspace, "package.json"))("@pulumi/pulumi/package.json") as { version: string }
        ).version;
        if (mode === "file") {
          const output = await stack.ok(["about", "--stack", stack.stack]);
          assert.match(output, new RegExp(`written in nodejs: executable='[^']*' version='v${env.nodeVersion.replace(/\./g, "\\.")}'`));
          assert.match(output, new RegExp(`@pulumi/pulumi\\s+${pulumiVersion.replace(/\./g, "\\.")}`));
          return;
        }
        // Inline, the program runs in the runner's process: it reports the Node.js it ran on and the
        // @pulumi/pulumi it loaded (the same one that served the program).
        const { code, output, result } = await stack.run(["preview", "--stack", stack.stack]);
        assert.equal(code, 0, output);
        assert.equal(result?.runtime["node"], `v${env.nodeVersion}`);
        assert.equal(result?.runtime["pulumi"], pulumiVersion);
      });

      it("preview shows the image", async () => {
        const output = await stack.ok(["preview", "--stack", stack.stack]);
        assert.match(output, /platform\s*: "Ubuntu"/);
      });

      it("up, refresh and destroy", async () => {
        await stack.ok(["up", "--yes", "--skip-preview", "--stack", stack.stack]);
        assert.equal((await stack.outputs())["trackedStatus"], "ready");
        assert.ok(emulator.updateImage(REGION, "img-h8ly274zg9", { systemDiskSizeGB: 80 }));
        await stack.ok(["refresh", "--yes", "--skip-preview", "--stack", stack.stack]);
        assert.equal((await stack.resources()).find((r) => r.type === LOOKUP)?.outputs?.["systemDiskSizeGB"], 80);
        await stack.ok(["destroy", "--yes", "--skip-preview", "--stack", stack.stack]);
        assert.deepEqual(await stack.resources(), []);
      });

      it("a missing image fails the preview with our sentence", async () => {
        await stack.ok(["config", "set", "imageId", "img-doesnotexist", "--stack", stack.stack]);
        const { code, output } = await stack.run(["preview", "--stack", stack.stack]);
        assert.notEqual(code, 0);
        assert.match(output, /JD Cloud has no image 'img-doesnotexist' in region cn-north-1/);
        assert.ok(!hasStackTrace(output), output);
        assert.ok(!stack.transcript.join("\n").includes(emulator.secretKey));
      });
    });
  }
}
