/**
 * The user's state, with the real CLI and engine: refresh drops a resource only on a definite
 * absence (a gateway's 404, an outage or a throttle fails the refresh and changes nothing), a search
 * records the region it ran in (a change of the default region is a visible replacement), a refresh
 * that finds a newer image says so, each refresh error is printed once, deprecated config keys warn
 * from a stack of ImageLookups alone, and an Automation API process that runs `up` twice sees the
 * catalogue as it is at the second run.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { localBackendEnv, runCommand } from "../../scripts/toolchain";
import { ExampleStack, e2eEnvironment, hasStackTrace, packedEmulator, useEmulator } from "./stack";

const REGION = "cn-north-1";
const LOOKUP = "pulumi-nodejs:dynamic/jdcloud:ImageLookup";
const SEARCH = "pulumi-nodejs:dynamic/jdcloud:ImageSearch";

/** A stack's resources of our two types as the user's data: URN, ID, inputs and outputs (not the engine's bookkeeping). */
async function ours(
  stack: ExampleStack,
): Promise<Array<{ urn: string; id?: string; inputs?: unknown; outputs?: Record<string, unknown> }>> {
  return (await stack.resources())
    .filter((r) => r.type === LOOKUP || r.type === SEARCH)
    .map(({ urn, id, inputs, outputs }) => ({ urn, id, inputs, ...(outputs ? { outputs } : {}) }));
}

/** How often `text` appears in `output`. */
function count(output: string, text: string): number {
  return output.split(text).length - 1;
}

/** A TypeScript project in the workspace with `source` as its program (the quickstart's package.json and tsconfig). */
function program(name: string, source: string): string {
  const dir = path.join(e2eEnvironment().workspace, `${name}-source`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const examples = path.resolve(__dirname, "../../examples/quickstart");
  for (const file of ["package.json", "tsconfig.json"]) fs.copyFileSync(path.join(examples, file), path.join(dir, file));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n`);
  fs.writeFileSync(path.join(dir, "index.ts"), source);
  return dir;
}

describe("the user's state through refresh, outages and region changes, with the real Pulumi CLI", () => {
  const suite = useEmulator("test");
  const settings = (): ReturnType<typeof suite.settings> => suite.settings(REGION);

  it("a gateway's 404 NOT_FOUND, a 500, a 429 and a stopped endpoint each fail the refresh once and keep every resource", async () => {
    const lookup = new ExampleStack("quickstart", "outage");
    const search = new ExampleStack("latest-image", "outage");
    for (const stack of [lookup, search]) {
      await stack.init(settings(), { "jdcloud-image:maxRetries": "1" });
      await stack.ok(["up", "--yes", "--skip-preview", "--stack", stack.stack]);
    }
    const faults = [
      { kind: "error", httpStatus: 404, status: "NOT_FOUND", message: "route not found", operation: "describeImage" },
      { kind: "error", httpStatus: 500, status: "INTERNAL" },
      { kind: "throttle", retryAfterSeconds: 0 },
    ] as const;
    for (const stack of [lookup, search]) {
      const before = await ours(stack);
      assert.equal(before.length, 1);
      for (const fault of faults) {
        suite.emulator.inject(fault);
        const { code, output } = await stack.run(["refresh", "--yes", "--skip-preview", "--stack", stack.stack]);
        suite.emulator.clearFaults();
        assert.notEqual(code, 0, output);
        assert.ok(!hasStackTrace(output), output);
        assert.doesNotMatch(output, /(\w+Error): [^\n]*: \1: /, "an error repeated on one line");
        assert.deepEqual(await ours(stack), before, `state after a refresh through ${JSON.stringify(fault)}`);
        if (fault.kind === "error" && fault.httpStatus === 404) {
          const sentence = "describeImages still lists it";
          assert.ok(count(output, sentence) >= 1 && count(output, sentence) <= 3, output);
        }
      }
    }
    // A stopped endpoint: refresh configures the provider from state, so the endpoint the stack was
    // deployed against goes away.
    const gone = await packedEmulator().startEmulator({});
    const stranded = new ExampleStack("quickstart", "stopped-endpoint");
    await stranded.init(
      { ...settings(), endpoint: gone.endpoint, accessKey: gone.accessKey, secretKey: gone.secretKey },
      {
        "jdcloud-image:maxRetries": "0",
      },
    );
    await stranded.ok(["up", "--yes", "--skip-preview", "--stack", stranded.stack]);
    const before = await ours(stranded);
    await gone.close();
    const { code, output } = await stranded.run(["refresh", "--yes", "--skip-preview", "--stack", stranded.stack]);
    assert.notEqual(code, 0);
    assert.match(output, /failed \(connect ECONNREFUSED/);
    assert.deepEqual(await ours(stranded), before);

    // A definite absence still drops it, so the next `up` looks (or searches) again, visibly.
    const pinned = (await ours(search))[0]?.outputs?.["imageId"];
    assert.equal(pinned, "img-ubnt2404lts");
    assert.ok(suite.emulator.removeImage(REGION, "img-ubnt2404lts"));
    await search.ok(["refresh", "--yes", "--skip-preview", "--stack", search.stack]);
    assert.deepEqual(await ours(search), []);
    const again = await search.ok(["preview", "--stack", search.stack]);
    assert.match(again, /\+ +pulumi-nodejs:dynamic\/jdcloud:ImageSearch ubuntu create/);
    assert.ok(suite.emulator.removeImage(REGION, "img-h8ly274zg9"));
    await lookup.ok(["refresh", "--yes", "--skip-preview", "--stack", lookup.stack]);
    assert.deepEqual(await ours(lookup), []);
  });

  it("an ImageSearch records the region it searched: a new default region is a replacement at preview, never a silent keep", async () => {
    const stack = new ExampleStack("latest-image", "region");
    await stack.init(settings());
    await stack.ok(["up", "--yes", "--skip-preview", "--stack", stack.stack]);
    const [pinned] = await ours(stack);
    assert.equal(pinned?.outputs?.["searchedRegionId"], REGION);
    assert.equal(pinned?.outputs?.["searchedEndpoint"], suite.emulator.endpoint);

    await stack.ok(["config", "set", "jdcloud-image:region", "cn-east-2", "--stack", stack.stack]);
    const preview = await stack.ok(["preview", "--diff", "--stack", stack.stack]);
    assert.match(preview, /\+-pulumi-nodejs:dynamic\/jdcloud:ImageSearch: \(replace\)/);
    assert.match(preview, /searchedRegionId\s*: "cn-north-1" => "cn-east-2"/);
    await stack.ok(["up", "--yes", "--skip-preview", "--stack", stack.stack]);
    const [moved] = await ours(stack);
    assert.equal(moved?.outputs?.["searchedRegionId"], "cn-east-2");
    assert.equal(moved?.outputs?.["regionId"], "cn-east-2");
    // The new pin is read where it was found, so a refresh keeps it.
    await stack.ok(["refresh", "--yes", "--skip-preview", "--stack", stack.stack]);
    assert.deepEqual(await ours(stack), [moved]);
  });

  it("deprecated jdcloud:* keys warn, with --secret for the secret key, in a stack of ImageLookups alone", async () => {
    const dir = program(
      "lookups-only",
      `import { ImageLookup } from "pulumi-jdcloud-image";\nexport const status = new ImageLookup("base", { imageId: "img-ubnt2204lts" }).status;\n`,
    );
    const stack = new ExampleStack("lookups-only", "legacy", undefined, dir);
    await stack.ok(["stack", "init", stack.stack]);
    await stack.ok(["config", "set", "jdcloud:endpoint", suite.emulator.endpoint, "--stack", stack.stack]);
    await stack.ok(["config", "set", "jdcloud:region", REGION, "--stack", stack.stack]);
    await stack.ok(["config", "set", "jdcloud:accessKey", suite.emulator.accessKey, "--stack", stack.stack]);
    await stack.ok(["config", "set", "--secret", "jdcloud:secretKey", suite.emulator.secretKey, "--stack", stack.stack]);
    const output = await stack.ok(["preview", "--stack", stack.stack]);
    assert.match(output, /warning: The stack config key jdcloud:region is deprecated/);
    assert.match(
      output,
      /set jdcloud-image:secretKey instead, as a secret, with `pulumi config set --secret jdcloud-image:secretKey <value>`/,
    );
    assert.match(output, /status\s*: \[unknown\]|\+ 2 to create/);
    assert.ok(!output.includes(suite.emulator.secretKey));
  });

  it("an Automation API process that runs up twice sees the catalogue as it is at the second run", async () => {
    const { workspace, binDir } = e2eEnvironment();
    const dir = path.join(workspace, "twice");
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const script = path.join(dir, "twice.js");
    // A service that deploys the same inline program twice in one process, as Automation API users do.
    fs.writeFileSync(
      script,
      `
const { LocalWorkspace } = require("@pulumi/pulumi/automation");
const { findImageOutput, getImageOutput } = require("pulumi-jdcloud-image");
const { startEmulator } = require("pulumi-jdcloud-image/emulator");
(async () => {
  const emulator = await startEmulator({});
  const program = async () => ({
    newest: findImageOutput({ imageSource: "public", platform: "Ubuntu", select: "mostRecent" }).imageId,
    disk: getImageOutput({ imageId: "img-m5s0centos8" }).systemDiskSizeGB,
  });
  const stack = await LocalWorkspace.createOrSelectStack({ projectName: "twice", stackName: "dev", program }, { workDir: __dirname });
  await stack.setAllConfig({
    "jdcloud-image:endpoint": { value: emulator.endpoint },
    "jdcloud-image:region": { value: "cn-north-1" },
    "jdcloud-image:accessKey": { value: emulator.accessKey },
    "jdcloud-image:secretKey": { value: emulator.secretKey, secret: true },
  });
  const first = await stack.up();
  const base = emulator.images().find((i) => i.regionId === "cn-north-1" && i.imageId === "img-ubnt2404lts");
  emulator.setImage({ ...base, imageId: "img-ubnt2604lts", name: "Ubuntu 26.04 LTS", createTime: "2026-11-28 00:00:00" });
  emulator.updateImage("cn-north-1", "img-m5s0centos8", { systemDiskSizeGB: 80 });
  const second = await stack.up();
  console.log(JSON.stringify([first.outputs.newest.value, first.outputs.disk.value, second.outputs.newest.value, second.outputs.disk.value]));
  await emulator.close();
})().catch((err) => { console.error(err.message); process.exit(1); });
`,
    );
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: twice\nruntime: nodejs\n");
    const stateDir = path.join(workspace, "state", "twice");
    fs.rmSync(stateDir, { recursive: true, force: true });
    fs.mkdirSync(stateDir, { recursive: true });
    const { code, output } = await runCommand(process.execPath, [script], dir, localBackendEnv(binDir, stateDir, "e2e-passphrase"));
    assert.equal(code, 0, output);
    const last = output.trim().split("\n").pop() ?? "";
    assert.deepEqual(JSON.parse(last), ["img-ubnt2404lts", 40, "img-ubnt2604lts", 80]);
  });
});
