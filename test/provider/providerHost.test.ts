import { strict as assert } from "node:assert";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { GrpcMessage, ProviderProcess, call, message, startProvider, struct, toJs } from "../support/grpcProvider";
import { programDir, REPO_ROOT, serializedProvider } from "../support/providerText";
import { withEmulator } from "../support/world";
import { envWithoutJdcloud } from "../../scripts/toolchain";

const SECRET = "HOST-SECRET-NEVER-IN-OUTPUT-93";
const HOST_SCRIPT = path.join(REPO_ROOT, "node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js");
const URN = "urn:pulumi:stack::proj::pulumi-nodejs:dynamic/jdcloud:ImageLookup::base";

describe("the real dynamic-provider host (@pulumi/pulumi/cmd/dynamic-provider) driven over gRPC", function () {
  this.timeout(60_000);
  const world = withEmulator({ accessKey: "HOSTAK", secretKey: SECRET });
  let host: ProviderProcess;
  let client: grpc.Client;
  let providerText: string;

  before(async () => {
    providerText = await serializedProvider();
    host = await startProvider(process.execPath, [HOST_SCRIPT], { cwd: programDir(), env: envWithoutJdcloud() });
    client = host.client;
  });
  after(() => host?.close());

  it("configures, checks, diffs, creates, reads and deletes an ImageLookup", async () => {
    const config = {
      "jdcloud-image:endpoint": world.emulator.endpoint,
      "jdcloud-image:accessKey": "HOSTAK",
      "jdcloud-image:secretKey": SECRET,
      "jdcloud-image:region": "cn-south-1",
    };
    await call(client, "configure", message("ConfigureRequest", { setArgs: struct(config) }));

    const news = { imageId: "img-h8ly274zg9", require: { osType: "linux" }, __provider: providerText };
    const checked = await call(client, "check", message("CheckRequest", { setUrn: URN, setOlds: struct({}), setNews: struct(news) }));
    assert.deepEqual(checked["getFailuresList"]?.(), []);
    const inputs = toJs(checked["getInputs"]?.());
    assert.equal(inputs["regionId"], "cn-south-1");
    assert.equal(inputs["__provider"], providerText);

    const bad = await call(
      client,
      "check",
      message("CheckRequest", { setUrn: URN, setOlds: struct({}), setNews: struct({ ...news, imageId: "img-nosuchimage" }) }),
    );
    const failures = (bad["getFailuresList"]?.() as GrpcMessage[]).map((f) => [f["getProperty"]?.(), f["getReason"]?.()]);
    assert.equal(failures.length, 1);
    assert.equal(failures[0]?.[0], "", "a lookup failure is our sentence alone, not a property the engine renders");
    assert.match(String(failures[0]?.[1]), /no image 'img-nosuchimage' in region cn-south-1/);

    const created = await call(client, "create", message("CreateRequest", { setUrn: URN, setProperties: struct(inputs) }));
    assert.equal(created["getId"]?.(), "img-h8ly274zg9");
    const outs = toJs(created["getProperties"]?.());
    assert.equal(outs["platform"], "Ubuntu");
    assert.equal(outs["systemDiskSizeGB"], 60);
    assert.ok(!JSON.stringify(outs).includes(SECRET));

    const diffed = await call(
      client,
      "diff",
      message("DiffRequest", {
        setId: "img-h8ly274zg9",
        setUrn: URN,
        setOlds: struct(outs),
        setNews: struct({ ...inputs, imageId: "img-m5s0centos8" }),
      }),
    );
    assert.deepEqual(diffed["getReplacesList"]?.(), ["imageId"]);

    world.emulator.updateImage("cn-south-1", "img-h8ly274zg9", { desc: "rebuilt" });
    const read = await call(client, "read", message("ReadRequest", { setId: "img-h8ly274zg9", setUrn: URN, setProperties: struct(outs) }));
    assert.equal(read["getId"]?.(), "img-h8ly274zg9");
    assert.equal(toJs(read["getProperties"]?.())["desc"], "rebuilt");

    world.emulator.removeImage("cn-south-1", "img-h8ly274zg9");
    const gone = await call(client, "read", message("ReadRequest", { setId: "img-h8ly274zg9", setUrn: URN, setProperties: struct(outs) }));
    assert.equal(gone["getId"]?.(), "");

    await call(client, "delete", message("DeleteRequest", { setId: "img-h8ly274zg9", setUrn: URN, setProperties: struct(outs) }));
    assert.ok(!host.stderr().includes(SECRET), "the host logged no secret");
  });
});
