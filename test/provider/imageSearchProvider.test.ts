/** ImageSearch's provider: the choice is pinned until the criteria change; refresh reads the pin, and reports newer images on request. */
import { strict as assert } from "node:assert";
import { search } from "../../provider/imageProvider";
import { emulatorEnvironment, withEmulator } from "../support/world";

describe("the ImageSearch provider", () => {
  const world = withEmulator();
  const criteria = { imageSource: "public", platform: "Ubuntu", select: "mostRecent", regionId: "cn-north-1" };
  emulatorEnvironment(world);

  it("pins what it found: a newer image does not move it, refresh re-reads the pin, checkForNewer reports the newer one", async () => {
    const created = await search.create({ criteria });
    assert.equal(created.id, "img-ubnt2404lts");
    assert.equal(created.outs["matchCount"], 3);
    assert.equal(created.outs["platform"], "Ubuntu");

    world.emulator.setImage({
      ...world.emulator.images().find((i) => i.imageId === "img-ubnt2404lts" && i.regionId === "cn-north-1")!,
      imageId: "img-ubnt2604lts",
      name: "Ubuntu 26.04 LTS",
      createTime: "2026-11-28 00:00:00",
    });
    const same = await search.diff(created.id, created.outs, { criteria });
    assert.equal(same.changes, false, "unchanged criteria keep the pin");

    const refreshed = await search.read(created.id, created.outs);
    assert.equal(refreshed.id, "img-ubnt2404lts");
    assert.equal(refreshed.props["newerAvailable"], false);

    const watching = await search.read(created.id, { ...created.outs, checkForNewer: true });
    assert.equal(watching.id, "img-ubnt2404lts", "checkForNewer does not move the pin");
    assert.equal(watching.props["latestImageId"], "img-ubnt2604lts");
    assert.equal(watching.props["newerAvailable"], true);

    const changed = await search.diff(created.id, created.outs, { criteria: { ...criteria, nameRegex: "Ubuntu 22.*" } });
    assert.deepEqual(changed.replaces, ["criteria"]);
    const triggered = await search.diff(created.id, created.outs, { criteria, searchTrigger: "2026-12" });
    assert.deepEqual(triggered.replaces, ["searchTrigger"]);
  });

  it("drops the resource on refresh when the pinned image is gone, so the next up searches again", async () => {
    const created = await search.create({ criteria });
    assert.equal(world.emulator.removeImage("cn-north-1", created.id), true);
    const refreshed = await search.read(created.id, created.outs);
    assert.equal(refreshed.id, "");
  });

  it("fails the check (so the preview) when nothing or too much matches, in one sentence", async () => {
    const none = await search.check({}, { criteria: { ...criteria, platform: "FreeBSD" } });
    assert.match(none.failures[0]?.reason ?? "", /No image in region cn-north-1 matches/);
    const several = await search.check({}, { criteria: { ...criteria, select: "unique" } });
    assert.match(several.failures[0]?.reason ?? "", /3 images in region cn-north-1 match/);
    const fine = await search.check({}, { criteria });
    assert.deepEqual(fine.failures, []);
  });

  it("reports bad criteria as one check failure, before any request", async () => {
    const result = await search.check({}, { criteria: { platform: "Ubuntu" } });
    assert.equal(result.failures.length, 1);
    assert.match(result.failures[0]?.reason ?? "", /neither imageSource nor ids/);
    assert.equal(world.emulator.requests.length, 0);
  });

  describe("records where it searched", () => {
    const noRegion = { imageSource: "public", platform: "Ubuntu", select: "mostRecent" };

    it("check fills in the default region and the endpoint (never its credentials) when the criteria name no region", async () => {
      process.env["JDCLOUD_REGION"] = "cn-east-2";
      const { inputs, failures } = await search.check({}, { criteria: noRegion });
      assert.deepEqual(failures, []);
      assert.equal(inputs["searchedRegionId"], "cn-east-2");
      assert.equal(inputs["searchedEndpoint"], world.emulator.endpoint);
      const created = await search.create(inputs);
      assert.equal(created.outs["regionId"], "cn-east-2", "it searched where check said");
      assert.equal(created.outs["searchedRegionId"], "cn-east-2");
      assert.ok(!JSON.stringify(created.outs).includes(world.emulator.secretKey));
    });

    it("a change of the default region is a replacement (a new search there), shown by diff", async () => {
      process.env["JDCLOUD_REGION"] = "cn-north-1";
      const { inputs } = await search.check({}, { criteria: noRegion });
      const created = await search.create(inputs);
      process.env["JDCLOUD_REGION"] = "cn-south-1";
      const moved = await search.check(created.outs, { criteria: noRegion });
      assert.equal(moved.inputs["searchedRegionId"], "cn-south-1");
      const d = await search.diff(created.id, created.outs, moved.inputs);
      assert.deepEqual([d.changes, d.replaces], [true, ["searchedRegionId"]]);
    });

    it("another endpoint is a replacement, and refresh against it leaves the pin as it was", async () => {
      process.env["JDCLOUD_REGION"] = "cn-north-1";
      const { inputs } = await search.check({}, { criteria: noRegion });
      const created = await search.create(inputs);
      process.env["JDCLOUD_ENDPOINT"] = "http://127.0.0.1:1";
      const elsewhere = await search.check(created.outs, { criteria: noRegion }).catch(() => undefined);
      assert.equal(elsewhere?.inputs["searchedEndpoint"], "http://127.0.0.1:1");
      assert.deepEqual((await search.diff(created.id, created.outs, elsewhere?.inputs ?? {})).replaces, ["searchedEndpoint"]);
      const before = world.emulator.requests.length;
      assert.deepEqual(await search.read(created.id, created.outs), { id: created.id, props: created.outs });
      assert.equal(world.emulator.requests.length, before);
    });

    it("refresh reads the pin in the region it was found in, whatever the default region is now", async () => {
      process.env["JDCLOUD_REGION"] = "cn-north-1";
      const { inputs } = await search.check({}, { criteria: noRegion });
      const created = await search.create(inputs);
      world.emulator.removeImage("cn-east-1", created.id);
      process.env["JDCLOUD_REGION"] = "cn-east-1";
      const refreshed = await search.read(created.id, created.outs);
      assert.equal(refreshed.id, created.id);
      assert.equal(world.emulator.requests.at(-1)?.regionId, "cn-north-1");
    });

    it("state written before the place was recorded keeps its pin: no replacement, refresh in the image's region", async () => {
      process.env["JDCLOUD_REGION"] = "cn-north-1";
      const created = await search.create({ criteria: noRegion });
      // What an earlier release kept: the image's fields (regionId among them), no searchedRegionId or searchedEndpoint.
      const { searchedRegionId: _r, searchedEndpoint: _e, ...old } = created.outs;
      const { inputs } = await search.check(old, { criteria: noRegion });
      const d = await search.diff(created.id, old, inputs);
      assert.deepEqual([d.changes, d.replaces], [false, []]);
      process.env["JDCLOUD_REGION"] = "cn-east-1";
      world.emulator.removeImage("cn-east-1", created.id);
      const refreshed = await search.read(created.id, old);
      assert.equal(refreshed.id, created.id);
      assert.equal(refreshed.props["searchedRegionId"], "cn-north-1");
    });
  });
});
