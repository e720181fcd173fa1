import { strict as assert } from "node:assert";
import { builtinImages } from "../../emulator/builtinImages";
import { BRIDGED_JDCLOUD_PATHS, DEFAULT_GUARD_PATHS, GuardPlan, isGuarded, parseGuardPath, ruleMisses } from "../../provider/guard";
import { ImageGuardError, ImageNotFoundError, InvalidArgumentError } from "../../provider/jdcloud/errors";
import type { Image } from "../../provider/jdcloud/image";
import { guardImages } from "../../sdk/nodejs";

// A community image published by a stranger, as the emulator serves it.
const IMAGE: Image = (() => {
  const image = builtinImages().find((i) => i.imageId === "img-comm0alice1");
  assert.ok(image);
  return { ...image, regionId: "cn-north-1" } as Image;
})();

const paths = (plan: GuardPlan, type: string): string[] => plan.pathsFor(type).map((p) => `${p.path}${p.strict ? " (every value)" : ""}`);

describe("the image guard's plan", () => {
  it("reads paths of names joined by '.', '[]' or '[*]' after a list's name for each element, '[N]' for one", () => {
    const each = [{ key: "instanceSpecs" }, { each: true }, { key: "imageId" }];
    assert.deepEqual(parseGuardPath("instanceSpecs[].imageId"), each);
    assert.deepEqual(parseGuardPath("instanceSpecs[*].imageId"), each);
    assert.deepEqual(parseGuardPath("instanceSpecs[2].imageId"), [{ key: "instanceSpecs" }, { index: 2 }, { key: "imageId" }]);
    assert.deepEqual(parseGuardPath("grid[][0].image"), [{ key: "grid" }, { each: true }, { index: 0 }, { key: "image" }]);
    assert.deepEqual(parseGuardPath("imageId"), [{ key: "imageId" }]);
    for (const bad of ["", "a..b", "a[-1].b", "a[x]", "a.[]", "[0]", "a b", "a.b[]c", "a[0"]) {
      assert.throws(
        () => parseGuardPath(bad),
        (err: unknown) => {
          assert.ok(err instanceof InvalidArgumentError);
          assert.match(
            err.message,
            /is not a property path; write property names joined by '\.', with '\[\]' \(or '\[\*\]'\) after a list's name for each of its elements or '\[N\]' for one/,
          );
          return true;
        },
      );
    }
  });

  it("looks at a top-level imageId and the createInstances shapes on every type, and at imageId of the bridged jdcloud provider's instances and templates", () => {
    const plan = new GuardPlan();
    assert.deepEqual(
      paths(plan, "aws:ec2/instance:Instance"),
      DEFAULT_GUARD_PATHS.map((p) => p.path),
    );
    assert.deepEqual(paths(plan, "jdcloud:index/instance:Instance"), [
      "imageId (every value)",
      "instanceSpec.imageId",
      "instanceSpecs[].imageId",
    ]);
    assert.deepEqual(
      BRIDGED_JDCLOUD_PATHS.map((p) => p.type),
      ["jdcloud:index/instance:Instance", "jdcloud:index/instanceTemplate:InstanceTemplate"],
    );
  });

  it("adds configured paths and removes excluded ones, per type or for every type", () => {
    const plan = new GuardPlan(
      [
        { type: "example:index:Vm", path: "boot.image" },
        { type: "*", path: "launch.imageId" },
      ],
      [{ type: "*", path: "instanceSpec.imageId" }, { type: "example:index:Skip" }, { type: "example:index:Vm", path: "imageId" }],
    );
    assert.deepEqual(paths(plan, "example:index:Vm"), ["boot.image (every value)", "launch.imageId", "instanceSpecs[].imageId"]);
    assert.deepEqual(paths(plan, "example:index:Other"), ["launch.imageId", "imageId", "instanceSpecs[].imageId"]);
    assert.deepEqual(paths(plan, "example:index:Skip"), []);
  });

  it("checks, at a default path, only what looks like an image ID; at a path named for a type, every value", () => {
    assert.equal(isGuarded("img-h8ly274zg9", false), true);
    assert.equal(isGuarded("ami-0abcdef", false), false);
    assert.equal(isGuarded(42, false), false);
    assert.equal(isGuarded("ami-0abcdef", true), true);
    assert.equal(isGuarded(undefined, true), false);
  });

  it("names each rule an image misses: source, publisher, platform", () => {
    assert.deepEqual(ruleMisses(IMAGE, { imageSources: ["public", "private"], ownerPins: ["admin"], platforms: ["Ubuntu"] }), [
      { field: "imageSource", wanted: ["public", "private"], found: "community" },
      { field: "ownerPin", wanted: ["admin"], found: "alice-publisher" },
    ]);
    assert.deepEqual(ruleMisses(IMAGE, { ownerPins: ["alice-publisher"], platforms: ["Ubuntu", "CentOS"] }), []);
    assert.deepEqual(ruleMisses(IMAGE, {}), []);
  });
});

describe("ImageGuardError", () => {
  it("names the resource and the property path, then says what was wrong in the cause's words", () => {
    const cause = new ImageNotFoundError({
      httpStatus: 404,
      retryable: false,
      imageId: "img-retired0001",
      regionId: "cn-north-1",
      requestId: "req1",
    });
    const err = new ImageGuardError({ resourceName: "batch", resourceType: "example:index:Req", path: "instanceSpecs[1].imageId" }, cause);
    assert.equal(err.message, `Resource 'batch' (example:index:Req), instanceSpecs[1].imageId: ${cause.message}`);
    assert.deepEqual(
      [err.resourceName, err.resourceType, err.path, err.imageId, err.regionId, err.requestId],
      ["batch", "example:index:Req", "instanceSpecs[1].imageId", "img-retired0001", "cn-north-1", "req1"],
    );
    assert.equal(err.cause, cause);
    assert.equal(err.stack, `ImageGuardError: ${err.message}`);
  });
});

describe("guardImages' options", () => {
  // Refused at once, before any resource is registered (so outside a Pulumi program too).
  for (const [options, message] of [
    [{ requir: { osType: "linux" } }, /Invalid requir for guardImages: there is no such option; did you mean 'require'\?$/],
    [{ zone: "cn-north-1a" }, /Invalid zone for guardImages: there is no such option; the options are require, imageSources, ownerPins/],
    [{ regionId: "north" }, /Invalid regionId for guardImages: 'north' is not a region ID; pass a region ID such as 'cn-north-1'\./],
    [{ paths: [{ type: "x", path: "a..b" }] }, /Invalid paths for guardImages: 'a\.\.b' is not a property path/],
    [{ paths: ["imageId"] }, /Invalid paths for guardImages: each entry must be \{ type, path \}/],
    [{ exclude: [{ type: "x", path: "[]" }] }, /Invalid exclude for guardImages/],
  ] as const) {
    it(`refuses ${JSON.stringify(options)} with one sentence`, () => {
      assert.throws(
        () => guardImages(options as never),
        (err: unknown) => err instanceof InvalidArgumentError && message.test(err.message),
      );
    });
  }
});
