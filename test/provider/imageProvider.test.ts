import { strict as assert } from "node:assert";
import * as path from "node:path";
import { UNKNOWN } from "../../provider/imageProvider";
import { programDir, REPO_ROOT, SERIALIZED_PROVIDER_LIMIT, serializedProvider } from "../support/providerText";
import { withEmulator } from "../support/world";

type Props = Record<string, unknown>;
interface Handler {
  configure(req: { config: { get(key: string): string | undefined } }): Promise<void>;
  check(olds: Props, news: Props): Promise<{ inputs: Props; failures: Array<{ property: string; reason: string }> }>;
  diff(id: string, olds: Props, news: Props): Promise<{ changes: boolean; replaces: string[] }>;
  create(inputs: Props): Promise<{ id: string; outs: Props }>;
  read(id: string, props: Props): Promise<{ id: string; props: Props }>;
  update(id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
  delete(id: string, props: Props): Promise<void>;
}

const SECRET = "PROVIDER-SECRET-DO-NOT-LEAK-41";

/** Brings the serialized provider back as @pulumi/pulumi/cmd/dynamic-provider does: requireFromString in the program folder. */
function revive(text: string, dir: string): Handler {
  const requireFromString = require(
    require.resolve("require-from-string", { paths: [path.join(REPO_ROOT, "node_modules/@pulumi/pulumi")] }),
  ) as (code: string) => { handler(): Handler };
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return requireFromString(text).handler();
  } finally {
    process.chdir(cwd);
  }
}

describe("the serialized ImageLookup provider, brought back as the provider host does it", () => {
  const world = withEmulator({ accessKey: "PROVIDERAK", secretKey: SECRET });
  let text: string;
  let handler: Handler;
  const savedEnv = { ...process.env };

  before(async () => {
    text = await serializedProvider();
    handler = revive(text, programDir());
    for (const k of ["JDCLOUD_ACCESS_KEY", "JDCLOUD_SECRET_KEY", "JDCLOUD_REGION", "JDCLOUD_ENDPOINT"]) delete process.env[k];
  });
  after(() => {
    process.env = savedEnv;
  });
  beforeEach(async () => {
    const config: Record<string, string> = {
      "jdcloud-image:endpoint": world.emulator.endpoint,
      "jdcloud-image:accessKey": "PROVIDERAK",
      "jdcloud-image:secretKey": SECRET,
      "jdcloud-image:region": "cn-east-1",
    };
    await handler.configure({ config: { get: (key) => config[key] } });
  });

  it("finds its implementation from inside this package's own checkout too", async () => {
    const fromCheckout = revive(text, REPO_ROOT);
    const result = await fromCheckout.diff("img-a", { imageId: "img-a" }, { imageId: "img-b" });
    assert.deepEqual(result.replaces, ["imageId"]);
  });

  it("is small and holds no credential", () => {
    assert.ok(text.length < SERIALIZED_PROVIDER_LIMIT, `serialized provider is ${text.length} bytes`);
    assert.ok(!text.includes(SECRET));
  });

  it("check fills the region from config and passes a good image", async () => {
    const { inputs, failures } = await handler.check({}, { imageId: "img-m5s0centos8", __provider: text });
    assert.deepEqual(failures, []);
    assert.equal(inputs["regionId"], "cn-east-1");
    assert.equal(world.emulator.requests.length, 1);
  });

  it("check names the property of a malformed input, sending nothing", async () => {
    const { failures } = await handler.check({}, { imageId: "IMG-BAD", regionId: "cn-north-1", require: { platfrom: "x" } });
    // A top-level string names its property; a nested one goes into the reason (the engine would
    // print the object in Go map syntax beside a property).
    assert.deepEqual(failures.map((f) => f.property).sort(), ["", "imageId"]);
    assert.equal(failures.find((f) => f.property === "")?.reason, "require.platfrom: there is no such input; did you mean 'platform'?");
    // Two problems on no property are two failures, not one.
    const nested = await handler.check(
      {},
      { imageId: "img-h8ly274zg9", regionId: "cn-north-1", require: { osType: "linx", imageSource: "mine" } },
    );
    assert.deepEqual(nested.failures.map((f) => f.reason.split(":")[0]).sort(), ["require.imageSource", "require.osType"]);
    assert.equal(world.emulator.requests.length, 0);
  });

  it("check fails a missing image with our sentence alone, naming it", async () => {
    const { failures } = await handler.check({}, { imageId: "img-missing0001" });
    assert.equal(failures.length, 1);
    assert.equal(failures[0]?.property, "");
    assert.match(failures[0]?.reason ?? "", /no image 'img-missing0001' in region cn-east-1/);
  });

  it("check fails an image that misses require with our sentence, not the engine's rendering of require", async () => {
    const { failures } = await handler.check({}, { imageId: "img-win2019dc64", require: { osType: "linux" } });
    assert.equal(failures[0]?.property, "");
    assert.match(failures[0]?.reason ?? "", /^Image 'img-win2019dc64' in region cn-east-1 does not meet the requirements/);
    assert.match(failures[0]?.reason ?? "", /osType wanted 'linux', found 'windows'/);
  });

  it("check names regionId when no region is given anywhere", async () => {
    await handler.configure({
      config: {
        get: (key) =>
          ({
            "jdcloud-image:endpoint": world.emulator.endpoint,
            "jdcloud-image:accessKey": "PROVIDERAK",
            "jdcloud-image:secretKey": SECRET,
          })[key],
      },
    });
    const { failures } = await handler.check({}, { imageId: "img-m5s0centos8" });
    assert.match(failures[0]?.reason ?? "", /^Invalid regionId for image 'img-m5s0centos8'/);
    assert.match(failures[0]?.reason ?? "", /jdcloud-image:region/);
    assert.equal(world.emulator.requests.length, 0);
  });

  it("check tolerates unknown values in preview, sending nothing", async () => {
    const { failures } = await handler.check({}, { imageId: UNKNOWN, regionId: "cn-north-1", require: { platform: UNKNOWN } });
    assert.deepEqual(failures, []);
    assert.equal(world.emulator.requests.length, 0);
  });

  it("create, read, update, diff and delete against the emulator", async () => {
    const { id, outs } = await handler.create({ imageId: "img-h8ly274zg9", regionId: "cn-north-1", require: { osType: "linux" } });
    assert.equal(id, "img-h8ly274zg9");
    assert.equal(outs["platform"], "Ubuntu");
    assert.equal(outs["systemDiskSizeGB"], 60);
    assert.equal((outs["snapshots"] as unknown[]).length, 3);
    assert.ok(!JSON.stringify(outs).includes(SECRET));

    world.emulator.updateImage("cn-north-1", "img-h8ly274zg9", { status: "error", systemDiskSizeGB: 80 });
    const refreshed = await handler.read(id, outs);
    assert.equal(refreshed.id, id);
    assert.equal(refreshed.props["status"], "error");
    assert.equal(refreshed.props["systemDiskSizeGB"], 80);

    world.emulator.updateImage("cn-north-1", "img-h8ly274zg9", { status: "ready" });
    const updated = await handler.update(id, outs, { ...outs, require: { osType: "linux", platform: "Ubuntu" } });
    assert.equal(updated.outs["systemDiskSizeGB"], 80);

    assert.deepEqual((await handler.diff(id, outs, { ...outs, imageId: "img-m5s0centos8" })).replaces, ["imageId"]);
    assert.deepEqual((await handler.diff(id, outs, { ...outs, regionId: "cn-east-2" })).replaces, ["regionId"]);
    const requireChange = await handler.diff(id, outs, { ...outs, require: { osType: "windows" } });
    assert.deepEqual([requireChange.changes, requireChange.replaces], [true, []]);
    const reordered = await handler.diff(id, { ...outs, require: { a: 1, b: 2 } }, { ...outs, require: { b: 2, a: 1 } });
    assert.equal(reordered.changes, false);

    world.emulator.removeImage("cn-north-1", "img-h8ly274zg9");
    assert.deepEqual(await handler.read(id, outs), { id: "", props: {} });

    const before = world.emulator.requests.length;
    await handler.delete(id, outs);
    assert.equal(world.emulator.requests.length, before);
  });

  it("read and update ask JD Cloud afresh instead of reusing an answer", async () => {
    const { id, outs } = await handler.create({ imageId: "img-m5s0centos8", regionId: "cn-north-1" });
    await handler.read(id, outs);
    await handler.read(id, outs);
    await handler.update(id, outs, outs);
    assert.equal(world.emulator.requests.length, 4);
  });
});
