/**
 * An upgrade of the package never replaces or re-picks what a stack holds: a stack deployed with the
 * previous release (built from its commit) — getImageOutput, ImageLookup with `require`, a pinned
 * ImageSearch, and the `jdcloud:*` config keys of that release — is upgraded in place to the packed
 * working tree. Preview shows no update, replace or re-search; `up` and `refresh` keep every pin;
 * the old config keys keep working, with the warning that names the new ones.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Emulator } from "../../emulator";
import { PREVIOUS_RELEASE, installWorkspace, packCommit } from "../../scripts/toolchain";
import { ExampleStack, StateResource, e2eEnvironment, packedEmulator } from "./stack";

const PROGRAM = `import { getImageOutput, ImageLookup, ImageSearch } from "pulumi-jdcloud-image";

const image = getImageOutput({ imageId: "img-h8ly274zg9", require: { osType: "linux" } });
const tracked = new ImageLookup("base", { imageId: "img-h8ly274zg9", require: { osType: "linux", platform: "Ubuntu" } });
const pinned = new ImageSearch("ubuntu", {
  criteria: { imageSource: "public", platform: "Ubuntu", osType: "linux", select: "mostRecent" },
  checkForNewer: true,
});

export const platform = image.platform;
export const trackedSize = tracked.systemDiskSizeGB;
export const pinnedImageId = pinned.imageId;
`;

/** The resources of a stack, by URN: ID and outputs (the user's data), without the serialized provider. */
function data(resources: readonly StateResource[]): Record<string, { id?: string; outputs: Record<string, unknown> }> {
  const out: Record<string, { id?: string; outputs: Record<string, unknown> }> = {};
  for (const r of resources) {
    if (!r.type.startsWith("pulumi-nodejs:dynamic/jdcloud:")) continue;
    const { __provider: _p, ...outputs } = r.outputs ?? {};
    out[r.urn] = { ...(r.id ? { id: r.id } : {}), outputs };
  }
  return out;
}

describe(`an upgrade in place from the previous release (${PREVIOUS_RELEASE.version})`, () => {
  let emulator: Emulator;
  let old: ExampleStack;
  let upgraded: ExampleStack;

  before(async function () {
    this.timeout(900_000);
    const { workspace, binDir } = e2eEnvironment();
    const oldWorkspace = path.join(workspace, "previous-release");
    installWorkspace(oldWorkspace, { tarball: packCommit(PREVIOUS_RELEASE.commit) });
    const installed = JSON.parse(
      fs.readFileSync(path.join(oldWorkspace, "node_modules", "pulumi-jdcloud-image", "package.json"), "utf8"),
    ) as {
      version: string;
    };
    assert.equal(installed.version, PREVIOUS_RELEASE.version);

    const source = path.join(workspace, "upgrade-source");
    fs.rmSync(source, { recursive: true, force: true });
    fs.mkdirSync(source, { recursive: true });
    const quickstart = path.resolve(__dirname, "../../examples/quickstart");
    for (const file of ["package.json", "tsconfig.json"]) fs.copyFileSync(path.join(quickstart, file), path.join(source, file));
    fs.writeFileSync(path.join(source, "Pulumi.yaml"), "name: upgrade\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n");
    fs.writeFileSync(path.join(source, "index.ts"), PROGRAM);

    emulator = await packedEmulator().startEmulator({});
    old = new ExampleStack("upgrade", "prod", { workspace: oldWorkspace, binDir }, source);
    await old.ok(["stack", "init", old.stack]);
    // The keys the previous release reads.
    await old.ok(["config", "set", "jdcloud:endpoint", emulator.endpoint, "--stack", old.stack]);
    await old.ok(["config", "set", "jdcloud:region", "cn-north-1", "--stack", old.stack]);
    await old.ok(["config", "set", "jdcloud:accessKey", emulator.accessKey, "--stack", old.stack]);
    await old.ok(["config", "set", "--secret", "jdcloud:secretKey", emulator.secretKey, "--stack", old.stack]);
    await old.ok(["up", "--yes", "--skip-preview", "--stack", old.stack]);
    upgraded = new ExampleStack("upgrade", "prod", undefined, source);
  });
  after(async () => {
    await emulator?.close();
  });

  it("the previous release deployed the stack and pinned the newest Ubuntu", async () => {
    assert.equal((await old.outputs())["pinnedImageId"], "img-ubnt2404lts");
  });

  it("after the upgrade, preview shows no update, replace or re-search — though a newer image appeared — and warns about the old keys", async () => {
    const base = emulator.images().find((i) => i.regionId === "cn-north-1" && i.imageId === "img-ubnt2404lts");
    assert.ok(base);
    emulator.setImage({ ...base, imageId: "img-ubnt2604lts", name: "Ubuntu 26.04 LTS 64位", createTime: "2026-11-28 00:00:00" });
    upgraded.adoptStackOf(old);
    const { code, output, result } = await upgraded.run(["preview", "--stack", upgraded.stack]);
    assert.equal(code, 0, output);
    assert.deepEqual(result?.summary, { same: 3 }, output);
    assert.match(output, /The stack config key jdcloud:region is deprecated/);
    assert.match(output, /as a secret, with `pulumi config set --secret jdcloud-image:secretKey <value>`/);
    assert.ok(!output.includes(emulator.secretKey));
  });

  it("up and refresh keep every pin and every tracked image, with the old keys", async () => {
    const before = data(await upgraded.resources());
    const up = await upgraded.run(["up", "--yes", "--skip-preview", "--stack", upgraded.stack]);
    assert.equal(up.code, 0, up.output);
    assert.equal(up.result?.summary["create"] ?? 0, 0);
    assert.equal(up.result?.summary["replace"] ?? 0, 0);
    assert.equal(up.result?.outputs["pinnedImageId"]?.value, "img-ubnt2404lts");
    assert.equal(up.result?.outputs["platform"]?.value, "Ubuntu");
    await upgraded.ok(["refresh", "--yes", "--skip-preview", "--stack", upgraded.stack]);
    const after = data(await upgraded.resources());
    for (const [urn, resource] of Object.entries(before)) {
      assert.equal(after[urn]?.id, resource.id, `${urn} keeps its ID`);
      assert.equal(after[urn]?.outputs["imageId"], resource.outputs["imageId"], `${urn} keeps its image`);
    }
    const search = Object.entries(after).find(([urn]) => urn.endsWith("ImageSearch::ubuntu"))?.[1];
    assert.equal(search?.id, "img-ubnt2404lts");
    assert.equal(search?.outputs["newerAvailable"], true, "the refresh reports the newer image without moving the pin");
    assert.equal(search?.outputs["latestImageId"], "img-ubnt2604lts");
    const again = await upgraded.run(["preview", "--stack", upgraded.stack]);
    assert.deepEqual(again.result?.summary, { same: 3 }, again.output);
    assert.ok(!upgraded.storedText().includes(emulator.secretKey), "the secret key in state or stack files");
  });
});
