/**
 * examples/latest-image with the real CLI: ImageSearch pins its choice while findImageOutput follows
 * the newest image; refresh with checkForNewer reports the newer one; a new searchTrigger re-pins.
 */
import { strict as assert } from "node:assert";
import type { Emulator } from "../../emulator";
import { ExampleStack, packedEmulator } from "./stack";

describe("examples/latest-image with the real Pulumi CLI: a search pinned in state", () => {
  let emulator: Emulator;
  let stack: ExampleStack;

  before(async () => {
    emulator = await packedEmulator().startEmulator({});
    stack = new ExampleStack("latest-image");
    await stack.init({ endpoint: emulator.endpoint, accessKey: emulator.accessKey, secretKey: emulator.secretKey, region: "cn-north-1" });
  });
  after(async () => {
    await stack?.run(["destroy", "--yes", "--stack", stack.stack]);
    await emulator?.close();
  });

  it("preview shows the newest image found by search", async () => {
    assert.match(await stack.ok(["preview", "--stack", stack.stack]), /newestImageId\s*: "img-ubnt2404lts"/);
  });

  it("keeps the pin when a newer image appears, while findImageOutput follows it; refresh reports it; a new trigger re-pins", async () => {
    await stack.ok(["up", "--yes", "--skip-preview", "--stack", stack.stack]);
    let outputs = await stack.outputs();
    assert.equal(outputs["pinnedImageId"], "img-ubnt2404lts");
    assert.equal(outputs["pinnedName"], "Ubuntu 24.04 LTS 64位");

    const base = emulator.images().find((i) => i.regionId === "cn-north-1" && i.imageId === "img-ubnt2404lts");
    assert.ok(base);
    emulator.setImage({ ...base, imageId: "img-ubnt2604lts", name: "Ubuntu 26.04 LTS 64位", createTime: "2026-11-28 00:00:00" });

    await stack.ok(["up", "--yes", "--skip-preview", "--stack", stack.stack]);
    outputs = await stack.outputs();
    assert.equal(outputs["newestImageId"], "img-ubnt2604lts", "findImageOutput follows the newest image");
    assert.equal(outputs["pinnedImageId"], "img-ubnt2404lts", "ImageSearch keeps its pin");

    const refreshed = await stack.ok(["refresh", "--yes", "--stack", stack.stack]);
    // The refresh says what it found, naming the resource, the pin and the newer image, once per refresh run.
    const note =
      "ImageSearch 'ubuntu' keeps its pin img-ubnt2404lts, but a newer image meets its criteria: img-ubnt2604lts " +
      "('Ubuntu 26.04 LTS 64位', created 2026-11-28 00:00:00); change its searchTrigger (or criteria) to search again and move the pin.";
    assert.ok(refreshed.includes(`warning: ${note}`), refreshed);
    // Refresh updates the resource in state (stack outputs change on the next up).
    const search = (await stack.resources()).find((r) => r.type === "pulumi-nodejs:dynamic/jdcloud:ImageSearch");
    assert.equal(search?.outputs?.["imageId"], "img-ubnt2404lts", "refresh keeps the pin");
    assert.equal(search?.outputs?.["latestImageId"], "img-ubnt2604lts");
    assert.equal(search?.outputs?.["newerAvailable"], true);

    await stack.ok(["config", "set", "searchTrigger", "re-pin-2026-11", "--stack", stack.stack]);
    await stack.ok(["up", "--yes", "--skip-preview", "--stack", stack.stack]);
    outputs = await stack.outputs();
    assert.equal(outputs["pinnedImageId"], "img-ubnt2604lts", "a new searchTrigger searches again");
  });
});
