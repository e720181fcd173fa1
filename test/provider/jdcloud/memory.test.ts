/**
 * Memory lasts one deployment: answers, scans, settings and warnings are shared within one run of a
 * program and never carried into the next (a process that runs `up` twice sees the catalogue as it
 * is at the second run); outside Pulumi, at most OUTSIDE_PULUMI_MS.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { OUTSIDE_PULUMI_MS, configureDeployments } from "../../../provider/jdcloud/state";
import { findImage, getImage } from "../../../sdk/nodejs";
import { installMocks } from "../../support/pulumi";
import { withEmulator } from "../../support/world";

const UBUNTU = { imageSource: "public", platform: "Ubuntu", select: "mostRecent", regionId: "cn-north-1" } as const;

describe("memory lasts one deployment", () => {
  const world = withEmulator();

  /** Publishes an Ubuntu image newer than every built-in one. */
  function publishNewer(imageId: string, createTime: string): void {
    const base = world.emulator.images().find((i) => i.regionId === "cn-north-1" && i.imageId === "img-ubnt2404lts");
    assert.ok(base);
    world.emulator.setImage({ ...base, imageId, name: `Ubuntu ${imageId}`, createTime });
  }

  it("a second run of a program (a new deployment) sees an image published since; within a run, one scan is shared", async () => {
    await installMocks(false, []);
    assert.equal((await findImage(UBUNTU, world.opts())).imageId, "img-ubnt2404lts");
    publishNewer("img-ubnt2604lts", "2026-11-28 00:00:00");
    assert.equal((await findImage(UBUNTU, world.opts())).imageId, "img-ubnt2404lts", "the same run shares its scan");
    const scansSoFar = world.emulator.requests.length;

    await installMocks(false, []); // the next run of the program: a new deployment
    assert.equal((await findImage(UBUNTU, world.opts())).imageId, "img-ubnt2604lts");
    assert.ok(world.emulator.requests.length > scansSoFar);
  });

  it("a second run sees an image changed or deleted since", async () => {
    await installMocks(false, []);
    assert.equal((await getImage({ imageId: "img-m5s0centos8" }, world.opts())).systemDiskSizeGB, 40);
    world.emulator.updateImage("cn-north-1", "img-m5s0centos8", { systemDiskSizeGB: 80 });
    assert.equal((await getImage({ imageId: "img-m5s0centos8" }, world.opts())).systemDiskSizeGB, 40, "one run, one answer");
    await installMocks(false, []);
    assert.equal((await getImage({ imageId: "img-m5s0centos8" }, world.opts())).systemDiskSizeGB, 80);
    world.emulator.removeImage("cn-north-1", "img-m5s0centos8");
    await installMocks(false, []);
    await assert.rejects(getImage({ imageId: "img-m5s0centos8" }, world.opts()), { name: "ImageNotFoundError" });
  });

  describe("outside Pulumi", () => {
    let clock = 0;
    before(() => configureDeployments({ identity: () => undefined, now: () => clock }));
    after(() => configureDeployments({ identity: () => pulumi.runtime.getMonitor(), now: Date.now }));

    it(`shares an answer for at most ${OUTSIDE_PULUMI_MS / 1000} s`, async () => {
      clock = 1_000_000;
      await getImage({ imageId: "img-ubnt2204lts" }, world.opts());
      world.emulator.updateImage("cn-north-1", "img-ubnt2204lts", { status: "error" });
      clock += OUTSIDE_PULUMI_MS - 1;
      assert.equal((await getImage({ imageId: "img-ubnt2204lts", require: { status: "any" } }, world.opts())).status, "ready");
      assert.equal(world.emulator.requests.length, 1);
      clock += 1;
      assert.equal((await getImage({ imageId: "img-ubnt2204lts", require: { status: "any" } }, world.opts())).status, "error");
      assert.equal(world.emulator.requests.length, 2);
    });
  });
});
