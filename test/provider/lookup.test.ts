/** lookup: argument validation (its fast path agrees with the schema) and what is refused before any request. */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { InvalidArgumentError } from "../../provider/jdcloud/errors";
import { GetImageArgsSchema } from "../../provider/jdcloud/schemas";
import { lookupImage, parseArgs } from "../../provider/lookup";
import { withEmulator } from "../support/world";

describe("lookup: arguments", () => {
  it("gives what the schema gives for every argument object it accepts, and refuses what the schema refuses", () => {
    const id = fc.oneof(
      fc.constantFrom("img-h8ly274zg9", "img-a", "0f0e0d0c-0b0a-4909-8807-060504030201", "IMG-A", "img-", ""),
      fc.string(),
    );
    const region = fc.oneof(fc.constantFrom("cn-north-1", "cn-east-2", "cn-north", "CN-NORTH-1"), fc.string());
    const args = fc.oneof(
      fc.record({ imageId: id, regionId: region }, { requiredKeys: ["imageId"] }),
      fc.record({ imageId: id, regionId: region, extra: fc.string() }, { requiredKeys: [] }),
      fc.anything(),
    );
    fc.assert(
      fc.property(args, (given) => {
        const schema = GetImageArgsSchema.safeParse(given);
        let ours: unknown;
        try {
          ours = parseArgs(given);
        } catch (err) {
          assert.ok(err instanceof InvalidArgumentError, String(err));
          assert.equal(schema.success, false, "refused what the schema accepts");
          return;
        }
        assert.ok(schema.success, "accepted what the schema refuses");
        assert.deepStrictEqual(ours, schema.data);
      }),
      { numRuns: 1_000 },
    );
  });

  it("names the argument and shows the value, cut and cleaned", () => {
    assert.throws(
      () => parseArgs({ imageId: `img-${"\u001b[31m".repeat(50)}` }),
      (e: unknown) =>
        e instanceof InvalidArgumentError && e.argument === "imageId" && !e.message.includes("\u001b") && e.message.length < 400,
    );
    assert.throws(
      () => parseArgs({ imageId: "img-a", require: { osType: "linx" } }),
      (e: unknown) => e instanceof InvalidArgumentError && e.argument === "require.osType",
    );
  });
});

describe("lookup: before any request", () => {
  const world = withEmulator();

  it("refuses a lookup without a region from anywhere, sending nothing", async () => {
    const { region: _r, ...noRegion } = world.opts();
    await assert.rejects(
      lookupImage({ imageId: "img-m5s0centos8" }, { options: noRegion, sources: { env: {}, homeDir: null } }),
      (e: unknown) =>
        e instanceof InvalidArgumentError && e.argument === "regionId" && /pulumi config set jdcloud-image:region/.test(e.message),
    );
    assert.equal(world.emulator.requests.length, 0);
  });

  it("applies the caller's error mapping to every failure, before and after the request", async () => {
    const mapped: unknown[] = [];
    const mapError = (err: unknown): unknown => (mapped.push(err), err);
    await assert.rejects(lookupImage({ imageId: "nope" }, { options: world.opts(), mapError }));
    await assert.rejects(lookupImage({ imageId: "img-nosuchimage1" }, { options: world.opts(), mapError }));
    await assert.rejects(lookupImage({ imageId: "img-win2019dc64", require: { osType: "linux" } }, { options: world.opts(), mapError }));
    assert.equal(mapped.length, 3);
  });
});
