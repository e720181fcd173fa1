import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { builtinImages } from "../../emulator/builtinImages";
import { engineAddress } from "../../plugin/engineLog";
import {
  GrpcMessage,
  ProviderProcess,
  call,
  configureRequest,
  empty,
  message,
  secret,
  startProvider,
  struct,
  toJs,
} from "../support/grpcProvider";
import { envWithoutJdcloud } from "../../scripts/toolchain";
import { instanceDisks, terraformInstanceDisks } from "../../sdk/nodejs/instanceDisks";
import type { Image } from "../../provider/jdcloud/image";
import { REPO_ROOT } from "../support/providerText";
import { withEmulator } from "../support/world";
import { everyServedImage } from "../support/images";
import { snakeCase } from "../../provider/jdcloud/suggest";

/** A value as a Python program holds it: every key of every level in snake_case. */
function pythonKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pythonKeys);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [snakeCase(k), pythonKeys(v)]));
}

/** The plugin exactly as `npm run build` bundles it and the package ships it. */
const PLUGIN = path.join(REPO_ROOT, "bin", "pulumi-resource-jdcloud-image");
const SECRET = "PLUGIN-SECRET-NEVER-IN-OUTPUT-41";
const GET_IMAGE = "jdcloud-image:index:getImage";

function invoke(client: grpc.Client, token: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  return call(client, "invoke", message("InvokeRequest", { setTok: token, setArgs: struct(args) })).then((res) =>
    toJs(res["getReturn"]?.()),
  );
}

function pluginEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return envWithoutJdcloud({ HOME: path.join(REPO_ROOT, "test", "fixtures", "no-home"), ...extra });
}

describe("the plugin's engine address", () => {
  it("is the argument that is a host and port, whatever flags the engine adds", () => {
    assert.equal(engineAddress(["127.0.0.1:40233"]), "127.0.0.1:40233");
    assert.equal(engineAddress(["--logtostderr", "-v=9", "--tracing", "file:/tmp/t.json", "127.0.0.1:40233"]), "127.0.0.1:40233");
    assert.equal(engineAddress(["[::1]:40233"]), "[::1]:40233");
    assert.equal(engineAddress(["--logtostderr"]), undefined);
  });
});

describe("the provider plugin (bin/pulumi-resource-jdcloud-image) driven over gRPC", function () {
  this.timeout(30_000);
  const world = withEmulator({ accessKey: "PLUGINAK", secretKey: SECRET });
  let plugin: ProviderProcess;

  beforeEach(async () => {
    plugin = await startProvider(PLUGIN, [], { env: pluginEnv() });
  });
  afterEach(() => plugin?.close());

  const configure = (extra: Record<string, string> = {}): Promise<GrpcMessage> =>
    call(
      plugin.client,
      "configure",
      configureRequest({ endpoint: world.emulator.endpoint, accessKey: "PLUGINAK", secretKey: SECRET, region: "cn-north-1", ...extra }),
    );

  it("reports the package version and serves the committed schema", async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    const info = await call(plugin.client, "getPluginInfo", empty());
    assert.equal(info["getVersion"]?.(), version);
    const schema = await call(plugin.client, "getSchema", message("GetSchemaRequest", {}));
    const committed = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "plugin", "schema.json"), "utf8")) as unknown;
    assert.deepEqual(JSON.parse(String(schema["getSchema"]?.())), committed);
  });

  it("accepts secrets and supports preview, so invokes run during `pulumi preview`", async () => {
    const res = await configure();
    assert.equal(res["getAcceptsecrets"]?.(), true);
    assert.equal(res["getSupportspreview"]?.(), true);
  });

  it("getImage returns the image's fields, from the stack config it was configured with", async () => {
    await configure();
    const result = await invoke(plugin.client, GET_IMAGE, { imageId: "img-h8ly274zg9", require: { osType: ["linux"] } });
    const expected = builtinImages().find((i) => i.imageId === "img-h8ly274zg9");
    assert.ok(expected);
    assert.equal(result["platform"], expected.platform);
    assert.equal(result["systemDiskSizeGB"], expected.systemDiskSizeGB);
    assert.equal(result["regionId"], "cn-north-1");
    assert.deepEqual(
      (result["snapshots"] as Array<Record<string, unknown>>).map((s) => s["diskSnapshotId"]),
      expected.snapshots?.map((s) => s.diskSnapshotId),
    );
    assert.equal(world.emulator.requests.at(-1)?.accessKey, "PLUGINAK");
  });

  it("makes every result field secret when an argument was secret, and none otherwise", async () => {
    await configure();
    const plain = await invoke(plugin.client, GET_IMAGE, { imageId: "img-h8ly274zg9" });
    assert.equal(plain["platform"], "Ubuntu");
    const hidden = await invoke(plugin.client, GET_IMAGE, { imageId: secret("img-h8ly274zg9") });
    for (const [field, value] of Object.entries(hidden)) assert.deepEqual(value, secret(plain[field]), field);
  });

  it("fails a missing image with our one sentence and JD Cloud's request ID, never the secret key", async () => {
    await configure();
    const err = (await invoke(plugin.client, GET_IMAGE, { imageId: "img-nosuch0001" }).then(
      () => assert.fail("resolved"),
      (e: unknown) => e,
    )) as grpc.ServiceError;
    assert.match(
      err.details,
      /^JD Cloud has no image 'img-nosuch0001' in region cn-north-1 \(JD Cloud request [0-9a-f]{32}\): check the image ID[^\n]*\.$/,
    );
    assert.ok(!err.details.includes(SECRET));
    assert.ok(!plugin.stderr().includes(SECRET), "the plugin logged no secret");
  });

  it("validates arguments before any request, naming the bad one", async () => {
    await configure();
    const before = world.emulator.requests.length;
    const err = (await invoke(plugin.client, GET_IMAGE, { imageId: "ubuntu" }).catch((e: unknown) => e)) as grpc.ServiceError;
    assert.match(err.details, /^Invalid imageId for the image lookup: 'ubuntu' /);
    const unknown = (await invoke(plugin.client, "jdcloud-image:index:getAmi", {}).catch((e: unknown) => e)) as grpc.ServiceError;
    assert.match(unknown.details, /the package jdcloud-image has no function 'jdcloud-image:index:getAmi'; call one of .*getImage/);
    assert.equal(world.emulator.requests.length, before);
  });

  it("takes the snake_case keys of the Python SDK's TypedDicts", async () => {
    await configure();
    const err = (await invoke(plugin.client, GET_IMAGE, {
      imageId: "img-h8ly274zg9",
      require: { os_type: ["windows"], max_system_disk_size_gb: 40 },
    }).catch((e: unknown) => e)) as grpc.ServiceError;
    assert.match(err.details, /osType wanted 'windows', found 'linux'; systemDiskSizeGB at most 40, found 60/);
  });

  it("serves getImages and findImage", async () => {
    await configure();
    const found = await invoke(plugin.client, "jdcloud-image:index:getImages", { imageSource: "public", platform: ["Ubuntu"] });
    assert.ok((found["ids"] as string[]).length > 0);
    assert.equal((found["images"] as unknown[]).length, (found["ids"] as string[]).length);
    const one = await invoke(plugin.client, "jdcloud-image:index:findImage", {
      imageSource: "public",
      platform: ["Ubuntu"],
      select: "highestVersion",
    });
    assert.equal(one["platform"], "Ubuntu");
    assert.ok((found["ids"] as string[]).includes(String(one["imageId"])));
  });

  it("serves instanceDisks and terraformInstanceDisks of an image as getImage gave it, with no request, equal to the TypeScript SDK's", async () => {
    await configure();
    const image = await invoke(plugin.client, GET_IMAGE, { imageId: "img-h8ly274zg9" });
    const before = world.emulator.requests.length;
    const wanted = { systemDiskSizeGB: 80, dataDiskType: "hdd.std1" };
    const disks = await invoke(plugin.client, "jdcloud-image:index:instanceDisks", { image, ...wanted });
    assert.deepEqual(disks, JSON.parse(JSON.stringify(instanceDisks(image as unknown as Image, wanted))));
    const tf = await invoke(plugin.client, "jdcloud-image:index:terraformInstanceDisks", { image });
    assert.deepEqual(tf, JSON.parse(JSON.stringify(terraformInstanceDisks(image as unknown as Image))));
    assert.equal(world.emulator.requests.length, before, "no request");
  });

  it("takes an image in the Python SDK's spelling, nested disks too, and gives the TypeScript SDK's disks for either API's shape", async () => {
    await configure();
    const images = everyServedImage();
    assert.ok(images.some(({ image }) => (image.dataDisks?.length ?? 0) > 0));
    for (const { what, image } of images) {
      // What Python's output types send: every key of every level in snake_case (`disk_size_gb`).
      const disks = await invoke(plugin.client, "jdcloud-image:index:instanceDisks", { image: pythonKeys(image), system_disk_size_gb: 80 });
      assert.deepEqual(disks, JSON.parse(JSON.stringify(instanceDisks(image, { systemDiskSizeGB: 80 }))), what);
    }
  });

  it("takes instanceDisks' arguments in the Python SDK's snake_case, and names a wrong one", async () => {
    await configure();
    const image = await invoke(plugin.client, GET_IMAGE, { imageId: "img-h8ly274zg9" });
    const snake = Object.fromEntries(Object.entries(image).map(([k, v]) => [k === "systemDiskSizeGB" ? "system_disk_size_gb" : k, v]));
    const disks = await invoke(plugin.client, "jdcloud-image:index:instanceDisks", { image: snake, system_disk_size_gb: 90 });
    assert.equal((disks["systemDisk"] as { cloudDiskSpec: { diskSizeGB: number } }).cloudDiskSpec.diskSizeGB, 90);
    const err = (await invoke(plugin.client, "jdcloud-image:index:instanceDisks", { image, systemDiskCategory: "remote" }).catch(
      (e: unknown) => e,
    )) as grpc.ServiceError;
    assert.match(err.details, /^Invalid systemDiskCategory for instanceDisks: is 'remote', not one of 'local', 'cloud'/);
    const noImage = (await invoke(plugin.client, "jdcloud-image:index:instanceDisks", { systemDiskSizeGB: 90 }).catch(
      (e: unknown) => e,
    )) as grpc.ServiceError;
    assert.match(noImage.details, /^Invalid image for instanceDisks: .*; pass the image as getImage returns it\./);
  });

  it("takes settings from provider config first, then the environment", async () => {
    plugin.close();
    plugin = await startProvider(PLUGIN, [], {
      env: pluginEnv({ JDCLOUD_ACCESS_KEY: "PLUGINAK", JDCLOUD_SECRET_KEY: SECRET, JDCLOUD_REGION: "cn-east-2" }),
    });
    await call(plugin.client, "configure", configureRequest({ endpoint: world.emulator.endpoint, region: "cn-north-1" }));
    const result = await invoke(plugin.client, GET_IMAGE, { imageId: "img-h8ly274zg9" });
    assert.equal(result["regionId"], "cn-north-1", "config's region beats JDCLOUD_REGION");
    assert.equal(world.emulator.requests.at(-1)?.accessKey, "PLUGINAK", "the key came from the environment");
  });

  it("checks the configuration: a key that is no setting, or a count that is not a whole number, fails with the key named", async () => {
    const news = { endpoint: world.emulator.endpoint, secretkey: secret(SECRET), timeoutMs: "ten", maxRetries: 2, version: "0.1.0" };
    const res = await call(plugin.client, "checkConfig", message("CheckRequest", { setOlds: struct({}), setNews: struct(news) }));
    const failures = (res["getFailuresList"]?.() as GrpcMessage[]).map((f): [string, string] => [
      String(f["getProperty"]?.()),
      String(f["getReason"]?.()),
    ]);
    assert.deepEqual(
      failures.map(([p]) => p),
      ["secretkey", "timeoutMs"],
    );
    assert.match(
      failures[0]?.[1] ?? "",
      /^jdcloud-image has no setting 'secretkey'; did you mean 'secretKey'\? The settings are endpoint, accessKey, secretKey, .* \(names are case-sensitive\)$/,
    );
    assert.match(failures[1]?.[1] ?? "", /jdcloud-image:timeoutMs must be a whole number/);
    assert.ok(!JSON.stringify(failures).includes(SECRET));
    assert.deepEqual(toJs(res["getInputs"]?.()), news, "the inputs go back as they came, secrets still marked");
    const good = await call(
      plugin.client,
      "checkConfig",
      message("CheckRequest", { setOlds: struct({}), setNews: struct({ timeoutMs: "5000" }) }),
    );
    assert.deepEqual(good["getFailuresList"]?.(), []);
  });

  it("names the config key a bad setting came from, without its value", async () => {
    await configure({ secretKey: `${SECRET}\n` });
    const err = (await invoke(plugin.client, GET_IMAGE, { imageId: "img-h8ly274zg9" }).catch((e: unknown) => e)) as grpc.ServiceError;
    assert.match(err.details, /jdcloud-image:secretKey/);
    assert.ok(!err.details.includes(SECRET));
  });
});
