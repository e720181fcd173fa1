/**
 * The schemas: their fast reading of a describeImage answer agrees with the schema exactly, and
 * issue paths read as property paths.
 */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import {
  DescribeImageResponseSchema,
  DescribeImagesResponseSchema,
  formatIssuePath,
  readDescribeImageFast,
  readDescribeImagesFast,
} from "../../../provider/jdcloud/schemas";
import { servedAs } from "../../../emulator/store";
import { builtinImages } from "../../../emulator/builtinImages";

const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null | undefined | number | boolean> =>
  fc.oneof({ weight: 30, arbitrary: arb }, fc.constant(null), fc.constant(undefined), fc.integer(), fc.boolean());

// Mostly valid counts, with the edges the schema refuses: negatives, fractions, unsafe integers, strings.
const count = fc.oneof(
  { weight: 20, arbitrary: fc.nat() },
  fc.integer({ min: -5, max: -1 }),
  fc.double(),
  fc.constant(2 ** 53),
  fc.string(),
);

const snapshot = fc.record(
  {
    diskSnapshotId: maybe(fc.string()),
    diskSnapshotName: maybe(fc.string()),
    diskSize: count,
    diskCategory: maybe(fc.string()),
    diskType: maybe(fc.string()),
    extra: fc.anything(),
  },
  { requiredKeys: [] },
);

const image = fc.record(
  {
    imageId: maybe(fc.string()),
    partnerImageId: maybe(fc.string()),
    name: maybe(fc.string()),
    platform: maybe(fc.string()),
    architecture: maybe(fc.string()),
    systemDiskSizeGB: count,
    imageSource: maybe(fc.string()),
    osType: maybe(fc.string()),
    status: maybe(fc.string()),
    createTime: maybe(fc.string()),
    desc: maybe(fc.string()),
    ownerPin: maybe(fc.string()),
    snapshots: fc.oneof({ weight: 10, arbitrary: fc.array(snapshot, { maxLength: 3 }) }, fc.constant(null), fc.string()),
    osVersion: maybe(fc.string()),
    rootDeviceType: maybe(fc.string()),
    // Fields the vm API has and the image does not model: ignored on both paths.
    progress: fc.anything(),
  },
  { requiredKeys: ["imageId", "name", "platform", "systemDiskSizeGB", "osType", "status"] },
);

describe("schemas: the fast reading of a describeImage answer", () => {
  it("gives exactly what the schema gives whenever it reads an answer, and declines only what the schema must look at", () => {
    let read = 0;
    const answer = fc.record(
      { requestId: maybe(fc.string()), result: fc.oneof(fc.record({ image }), fc.constant(null)) },
      { requiredKeys: ["result"] },
    );
    fc.assert(
      fc.property(answer, (json) => {
        // What JSON.parse could give: no undefined values.
        const wire = JSON.parse(JSON.stringify(json)) as unknown;
        const fast = readDescribeImageFast(wire);
        const schema = DescribeImageResponseSchema.safeParse(wire);
        if (fast !== undefined) {
          read++;
          assert.ok(schema.success, "the fast path read an answer the schema refuses");
          assert.deepStrictEqual(fast, schema.data);
        }
      }),
      { numRuns: 2_000 },
    );
    assert.ok(read >= 20, `only ${read} answers took the fast path: the property says little`);
  });

  it("reads every built-in image of the emulator on the fast path, equal to the schema", () => {
    for (const apiImage of builtinImages().map((i) => servedAs(i, "coc-vm"))) {
      const wire = JSON.parse(JSON.stringify({ requestId: "r1", result: { image: { ...apiImage, extraField: 1 } } })) as unknown;
      const fast = readDescribeImageFast(wire);
      assert.ok(fast, apiImage.imageId);
      assert.deepStrictEqual(fast, DescribeImageResponseSchema.parse(wire));
    }
  });
});

describe("schemas: the fast reading of a describeImages page", () => {
  it("reads a page of every built-in image equal to the schema, and leaves a page with one bad image to the schema", () => {
    const images = builtinImages().map((image) => ({ ...servedAs(image, "coc-vm"), unknownField: true }));
    const wire = JSON.parse(JSON.stringify({ requestId: "r", result: { images, totalCount: 123 } })) as unknown;
    assert.deepStrictEqual(readDescribeImagesFast(wire), DescribeImagesResponseSchema.parse(wire));
    const withNull = JSON.parse(
      JSON.stringify({ result: { images: [...images, { ...images[0], desc: null }], totalCount: 1 } }),
    ) as unknown;
    assert.equal(readDescribeImagesFast(withNull), undefined);
    assert.ok(DescribeImagesResponseSchema.safeParse(withNull).success);
  });
});

describe("schemas: issue paths", () => {
  it("reads as a property path", () => {
    assert.equal(formatIssuePath(["result", "image", "snapshots", 0, "diskSize"]), "result.image.snapshots[0].diskSize");
    assert.equal(formatIssuePath([]), "");
  });
});
