/**
 * Every input of every form is validated with our sentence, naming the input, with the known name a
 * compiler would offer ("did you mean"), and in the caller's words: ImageLookup's and ImageSearch's
 * check (also through the real dynamic-provider host, where a missing `criteria` once gave a
 * protobuf error), getImage's and the search's arguments, and the settings each caller can set.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { check as checkLookup, configure, search } from "../../provider/imageProvider";
import { InvalidArgumentError, MissingCredentialsError } from "../../provider/jdcloud/errors";
import { settingPlaces } from "../../provider/jdcloud/settings";
import { closest, didYouMean, snakeCase } from "../../provider/jdcloud/suggest";
import { getImagesFromCriteria } from "../../provider/search";
import { getImage } from "../../sdk/nodejs";
import { envWithoutJdcloud } from "../../scripts/toolchain";
import { GrpcMessage, call, message, startProvider, struct } from "../support/grpcProvider";
import { programDir, REPO_ROOT, serializedProvider } from "../support/providerText";
import { emulatorEnvironment, thrown, withEmulator } from "../support/world";

describe("did you mean", () => {
  it("offers the known name a compiler would, in the caller's spelling", () => {
    assert.equal(closest("regionID", ["imageId", "regionId", "require"]), "regionId");
    assert.equal(closest("platfrom", ["platform", "osType"]), "platform");
    assert.equal(closest("Public", ["public", "private", "shared"]), "public");
    assert.equal(closest("secretkey", ["secretKey", "accessKey"]), "secretKey");
    assert.equal(closest("banana", ["platform", "osType"]), undefined);
    assert.equal(didYouMean("os_typ", ["osType", "platform"]), "did you mean 'os_type'?");
    assert.equal(didYouMean("os_type", ["osType", "platform"]), "did you mean 'osType'?");
    assert.equal(snakeCase("maxSystemDiskSizeGB"), "max_system_disk_size_gb");
  });
});

describe("arguments named in one sentence, with the name meant", () => {
  const world = withEmulator();

  it("getImage: a misspelt key, a misspelt enum value, a wrong type", async () => {
    const cases: Array<[object, string]> = [
      [
        { imageId: "img-h8ly274zg9", regionID: "cn-north-1" },
        "Invalid regionID for image 'img-h8ly274zg9': there is no such input; did you mean 'regionId'?",
      ],
      [
        { imageId: "img-h8ly274zg9", require: { osType: "Linux" } },
        "Invalid require.osType for image 'img-h8ly274zg9': is 'Linux', not one of 'linux', 'windows'; did you mean 'linux'?",
      ],
      [
        { imageId: "img-h8ly274zg9", require: { platfrom: "Ubuntu" } },
        "Invalid require.platfrom for image 'img-h8ly274zg9': there is no such input; did you mean 'platform'?",
      ],
    ];
    for (const [args, sentence] of cases) {
      const err = await thrown(() => getImage(args as never, world.opts()));
      assert.ok(err instanceof InvalidArgumentError);
      assert.equal(err.message, sentence);
    }
    assert.equal(world.emulator.requests.length, 0);
  });

  it("search criteria: a misspelt key and a misspelt value", async () => {
    const sources = { env: {}, homeDir: null };
    const key = await thrown(() =>
      getImagesFromCriteria({ imageSource: "public", platfrom: "Ubuntu" }, { options: world.opts(), sources }),
    );
    assert.equal(key.message, "Invalid criteria.platfrom for the image search: there is no such input; did you mean 'platform'?");
    const value = await thrown(() => getImagesFromCriteria({ imageSource: "Public" }, { options: world.opts(), sources }));
    assert.match(
      value.message,
      /^Invalid criteria\.imageSource for the image search: is 'Public', not one of .*; did you mean 'public'\?$/,
    );
  });
});

describe("ImageLookup's and ImageSearch's check: every input validated, none ignored", () => {
  const world = withEmulator();
  emulatorEnvironment(world, { JDCLOUD_REGION: "cn-north-1" });

  it("ImageLookup: a key that is no input fails the preview, named, with the input it was meant to be", async () => {
    const { failures } = await checkLookup({}, { imageId: "img-h8ly274zg9", regionID: "cn-east-1", requires: { osType: "linux" } });
    assert.deepEqual(
      failures.map((f) => f.reason),
      ["ImageLookup has no input 'regionID'; did you mean 'regionId'?", "ImageLookup has no input 'requires'; did you mean 'require'?"],
    );
    assert.equal(world.emulator.requests.length, 0);
  });

  it("ImageSearch: criteria written at the top level are told where they go; no criteria, wrong types and unknown keys each fail", async () => {
    const top = await search.check({}, { imageSource: "public", platform: "Ubuntu", resourceName: "ubuntu" });
    assert.deepEqual(
      top.failures.map((f) => f.reason),
      [
        "ImageSearch 'ubuntu' has no input 'imageSource'; search criteria go in criteria: write criteria: { imageSource: … }",
        "ImageSearch 'ubuntu' has no input 'platform'; search criteria go in criteria: write criteria: { platform: … }",
        `ImageSearch 'ubuntu' needs criteria, what to search for: e.g. criteria: { imageSource: "public", platform: "Ubuntu", select: "mostRecent" }`,
      ],
    );
    const extra = await search.check(
      {},
      { criteria: { imageSource: "public" }, checkForNewer: "yes", searchTriger: "x", resourceName: "u" },
    );
    assert.deepEqual(
      extra.failures.map((f) => f.reason),
      [
        "ImageSearch 'u' has no input 'searchTriger'; did you mean 'searchTrigger'?",
        "ImageSearch 'u''s checkForNewer must be true or false, not 'yes'",
      ],
    );
    const bad = await search.check({}, { criteria: { imageSource: "public", slect: "mostRecent" } });
    assert.match(
      bad.failures[0]?.reason ?? "",
      /^Invalid criteria\.slect for the image search: there is no such input; did you mean 'select'\?$/,
    );
    assert.equal(world.emulator.requests.length, 0);
  });
});

describe("through the real dynamic-provider host: an ImageSearch without criteria fails with our sentence, not a protobuf error", function () {
  this.timeout(60_000);
  const world = withEmulator();

  it("checks inputs with no criteria, and with criteria at the top level", async () => {
    const host = await startProvider(
      process.execPath,
      [path.join(REPO_ROOT, "node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js")],
      {
        cwd: programDir(),
        env: envWithoutJdcloud({
          JDCLOUD_ENDPOINT: world.emulator.endpoint,
          JDCLOUD_ACCESS_KEY: world.emulator.accessKey,
          JDCLOUD_SECRET_KEY: world.emulator.secretKey,
        }),
      },
    );
    try {
      const provider = await serializedProvider("ImageSearch");
      const urn = "urn:pulumi:s::p::pulumi-nodejs:dynamic/jdcloud:ImageSearch::latest";
      for (const news of [{ resourceName: "latest" }, { imageSource: "public", resourceName: "latest" }]) {
        const res = await call(
          host.client,
          "check",
          message("CheckRequest", { setUrn: urn, setOlds: struct({}), setNews: struct({ ...news, __provider: provider }) }),
        );
        const reasons = (res["getFailuresList"]?.() as GrpcMessage[]).map((f) => String(f["getReason"]?.()));
        assert.ok(
          reasons.some((r) => r.startsWith("ImageSearch 'latest' needs criteria")),
          reasons.join("\n"),
        );
      }
      assert.doesNotMatch(host.stderr(), /Unexpected struct type|at .*\.js:\d+/);
    } finally {
      host.close();
    }
  });
});

describe("messages in the caller's words", () => {
  afterEach(() => configure({ config: { get: () => undefined } }));

  it("the TypeScript SDK names opts; the dynamic providers and the plugin never do", async () => {
    const sdk = await thrown(() => getImage({ imageId: "img-h8ly274zg9", regionId: "cn-north-1" }, { endpoint: "http://127.0.0.1:9" }));
    assert.ok(sdk instanceof MissingCredentialsError);
    assert.match(sdk.message, /set them in getImage's opts \(accessKey, secretKey\), in Pulumi stack config/);

    const saved = process.env;
    process.env = envWithoutJdcloud({ HOME: path.join(REPO_ROOT, "test", "fixtures", "no-home") });
    try {
      const { failures } = await checkLookup({}, { imageId: "img-h8ly274zg9", regionId: "cn-north-1" });
      assert.match(
        failures[0]?.reason ?? "",
        /^Invalid credentials for image 'img-h8ly274zg9' in region cn-north-1: no access key or secret key was found; set them in Pulumi stack config/,
      );
      assert.doesNotMatch(failures[0]?.reason ?? "", /opts/);
    } finally {
      process.env = saved;
    }
    const plugin = settingPlaces("plugin", "credentials");
    assert.match(plugin, /access_key and secret_key in Python, AccessKey and SecretKey in Go/);
    assert.doesNotMatch(plugin, /opts/);
    assert.doesNotMatch(settingPlaces("plugin", "region"), /opts/);
    assert.match(settingPlaces("plugin", "region"), /region_id in Python, RegionId in Go/);
    assert.doesNotMatch(settingPlaces("dynamic-provider", "region"), /opts/);
  });
});
