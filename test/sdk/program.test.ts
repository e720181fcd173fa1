import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { ImageRequirementError } from "../../provider/jdcloud/errors";
import { getImageOutput } from "../../sdk/nodejs/getImage";
import { ImageLookup } from "../../sdk/nodejs/imageLookup";
import { installMocks, Registered, settle } from "../support/pulumi";
import { SERIALIZED_PROVIDER_LIMIT } from "../support/providerText";
import { withEmulator } from "../support/world";

const SECRET_MARK = "SECRETKEY-MUST-NOT-LEAK-7f3a";

class Marker extends pulumi.CustomResource {
  constructor(name: string) {
    super("test:index:Marker", name, {});
  }
}

describe("getImageOutput in a Pulumi program (runtime mocks)", () => {
  const world = withEmulator();

  describe("during update", () => {
    const registered: Registered[] = [];
    before(() => installMocks(false, registered));

    it("resolves to the image, with fields that lift", async () => {
      const img = getImageOutput({ imageId: pulumi.output("img-h8ly274zg9"), regionId: "cn-north-1" }, world.opts());
      assert.equal((await settle(img.platform)).value, "Ubuntu");
      assert.equal((await settle(img.systemDiskSizeGB)).value, 60);
      assert.equal((await settle(img.snapshots)).value?.length, 3);
      assert.equal((await settle(img)).secret, false);
    });

    it("gives a secret output for a secret input", async () => {
      const img = getImageOutput({ imageId: pulumi.secret("img-m5s0centos8") }, world.opts());
      const { value, secret } = await settle(img.name);
      assert.equal(value, "CentOS 8.2 64位");
      assert.equal(secret, true);
    });

    it("takes require as an Input and rejects an image that misses it", async () => {
      const img = getImageOutput({ imageId: "img-win2019dc64", require: pulumi.output({ osType: "linux" }) }, world.opts());
      await assert.rejects(settle(img), ImageRequirementError);
    });

    it("waits for dependsOn resources, then looks up", async () => {
      const img = getImageOutput({ imageId: "img-ubnt2204lts" }, { ...world.opts(), dependsOn: [new Marker("dep")] });
      assert.equal((await settle(img.osType)).value, "linux");
    });
  });

  describe("during preview", () => {
    const registered: Registered[] = [];
    before(() => installMocks(true, registered));

    it("gives an unknown output for an unknown input, sending no request and raising no error", async () => {
      const unknownId = pulumi.output(pulumi.unknown) as pulumi.Output<string>;
      const img = getImageOutput({ imageId: unknownId, regionId: "cn-north-1" }, world.opts());
      const { known } = await settle(img.platform);
      assert.equal(known, false);
      assert.equal(world.emulator.requests.length, 0);
    });

    it("gives an unknown output when a dependsOn resource is still to be created", async () => {
      const img = getImageOutput({ imageId: "img-ubnt2204lts" }, { ...world.opts(), dependsOn: new Marker("later") });
      assert.equal((await settle(img)).known, false);
      assert.equal(world.emulator.requests.length, 0);
    });

    it("looks up known inputs during preview, so a bad image fails the preview", async () => {
      const img = getImageOutput({ imageId: "img-pend1ng0001" }, world.opts());
      await assert.rejects(settle(img), /status wanted 'ready', found 'pending'/);
    });
  });
});

describe("ImageLookup in a Pulumi program (runtime mocks)", () => {
  const registered: Registered[] = [];
  const savedEnv = { ...process.env };
  before(async () => {
    await installMocks(false, registered);
    process.env["JDCLOUD_SECRET_KEY"] = SECRET_MARK;
    pulumi.runtime.setConfig("jdcloud-image:secretKey", SECRET_MARK);
  });
  after(() => {
    process.env = savedEnv;
    pulumi.runtime.setAllConfig({});
  });

  it("registers a pulumi-nodejs:dynamic/jdcloud:ImageLookup with its inputs and declared outputs", async () => {
    const lookup = new ImageLookup("base", {
      imageId: "img-h8ly274zg9",
      regionId: pulumi.output("cn-north-1"),
      require: { osType: "linux" },
    });
    assert.equal((await settle(lookup.id)).value, "base-id");
    assert.equal((await settle(lookup.platform)).value, "Mocked");
    const reg = registered.find((r) => r.name === "base");
    assert.equal(reg?.type, "pulumi-nodejs:dynamic/jdcloud:ImageLookup");
    assert.equal(reg?.inputs["imageId"], "img-h8ly274zg9");
    assert.equal(reg?.inputs["regionId"], "cn-north-1");
    assert.deepEqual(reg?.inputs["require"], { osType: "linux" });
  });

  it("serializes a small provider that holds no secret and only requires the implementation", async () => {
    const lookup = new ImageLookup("secretless", { imageId: "img-m5s0centos8" });
    await settle(lookup.id);
    const reg = registered.find((r) => r.name === "secretless");
    const provider = reg?.inputs["__provider"];
    assert.equal(typeof provider, "string");
    const text = provider as string;
    assert.ok(text.length < SERIALIZED_PROVIDER_LIMIT, `serialized provider is ${text.length} bytes`);
    assert.ok(!text.includes(SECRET_MARK), "no secret key in __provider");
    assert.ok(!JSON.stringify(reg?.inputs).includes(SECRET_MARK), "no secret key in the inputs written to state");
    assert.match(text, /require\("pulumi-jdcloud-image\/provider"\)/);
    assert.ok(!/zod|node-fetch|createHmac/.test(text), "no library code captured");
  });

  it("serializes the same provider text for every lookup", async () => {
    const a = new ImageLookup("a", { imageId: "img-m5s0centos8" });
    const b = new ImageLookup("b", { imageId: "img-ubnt2204lts", regionId: "cn-east-1" });
    await Promise.all([settle(a.id), settle(b.id)]);
    const texts = registered.filter((r) => r.name === "a" || r.name === "b").map((r) => r.inputs["__provider"]);
    assert.equal(texts.length, 2);
    assert.ok(typeof texts[0] === "string" && texts[0].length > 0, "the first lookup carries a serialized provider");
    assert.equal(texts[0], texts[1]);
  });
});
