/** ImageSearch's provider: the choice is pinned until the criteria change; refresh reads the pin, and reports newer images on request. */
import { strict as assert } from "node:assert";
import { search } from "../../provider/imageProvider";
import { withEmulator } from "../support/world";

describe("the ImageSearch provider", () => {
  const world = withEmulator();
  const criteria = { imageSource: "public", platform: "Ubuntu", select: "mostRecent", regionId: "cn-north-1" };
  const env = process.env;

  beforeEach(() => {
    // The provider reads its settings from the environment (and stack config) like the provider host does.
    process.env = {
      ...env,
      JDCLOUD_ENDPOINT: world.emulator.endpoint,
      JDCLOUD_ACCESS_KEY: world.emulator.accessKey,
      JDCLOUD_SECRET_KEY: world.emulator.secretKey,
    };
  });
  afterEach(() => {
    process.env = env;
  });

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
});
