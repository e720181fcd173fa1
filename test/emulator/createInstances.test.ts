/**
 * The emulator's createInstances, called by the official jdcloud-sdk-js VM client: what
 * instanceDisks makes is accepted for images of both shapes; what JD Cloud's models or the image
 * do not allow is refused with a 400 naming the field.
 */
import { strict as assert } from "node:assert";
import { getImage } from "../../sdk/nodejs";
import { instanceDisks } from "../../sdk/nodejs/instanceDisks";
import type { Image } from "../../provider/jdcloud/image";
import { clearImageCache } from "../../provider/jdcloud/state";
import { startEmulator, type Emulator } from "../../emulator";
import { officialVmClient } from "../support/officialSdk";

const REGION = "cn-north-1";

/** The official client's error for a refused request: its HTTP status and JD Cloud's message. */
async function refusal(promise: Promise<unknown>): Promise<{ code: number; message: string }> {
  const err = (await promise.then(
    () => assert.fail("accepted"),
    (e: unknown) => e,
  )) as { error?: { code?: number; message?: string } };
  return { code: err.error?.code ?? 0, message: err.error?.message ?? JSON.stringify(err) };
}

for (const shape of ["coc-vm", "vm"] as const) {
  describe(`the emulator's createInstances, images in the ${shape} shape`, () => {
    let emulator: Emulator;
    const client = () => officialVmClient(emulator.endpoint, emulator.accessKey, emulator.secretKey);
    const image = async (imageId: string): Promise<Image> => {
      clearImageCache();
      return getImage(
        { imageId, regionId: REGION },
        { endpoint: emulator.endpoint, accessKey: emulator.accessKey, secretKey: emulator.secretKey },
      );
    };
    const spec = (img: Image, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      name: "web",
      imageId: img.imageId,
      instanceType: "g.n2.medium",
      ...instanceDisks(img, { systemDiskSizeGB: 80 }),
      ...extra,
    });

    before(async () => {
      emulator = await startEmulator({ imageShape: shape });
    });
    after(async () => emulator?.close());

    it("accepts instanceDisks' disks for an image with data-disk snapshots, and records the instances", async () => {
      const img = await image("img-h8ly274zg9");
      const answer = await client().createInstances({ instanceSpec: spec(img), maxCount: 2 }, REGION);
      assert.equal(answer.result.instanceIds.length, 2);
      assert.match(answer.result.instanceIds[0] ?? "", /^i-[0-9a-f]{10}$/);
      const made = emulator.instances().filter((i) => answer.result.instanceIds.includes(i.instanceId));
      assert.equal(made.length, 2);
      assert.deepEqual((made[0]?.instanceSpec["dataDisks"] as unknown[]).length, 2);
    });

    it("accepts instanceDisks' system disk for a localDisk image and a cloudDisk one", async () => {
      for (const imageId of ["img-m5s0centos8", "img-ubnt2204lts"]) {
        const answer = await client().createInstances({ instanceSpec: spec(await image(imageId)) }, REGION);
        assert.equal(answer.result.instanceIds.length, 1, imageId);
      }
    });

    it("refuses a field the official DiskSpec does not have (the diskName of 0.1's instanceDisks)", async () => {
      const img = await image("img-h8ly274zg9");
      const disks = instanceDisks(img);
      const dataDisks = disks.dataDisks.map((d) => ({ ...d, cloudDiskSpec: { ...d.cloudDiskSpec, diskName: "data" } }));
      const { code, message } = await refusal(client().createInstances({ instanceSpec: spec(img, { dataDisks }) }, REGION));
      assert.equal(code, 400);
      assert.equal(message, "instanceSpec.dataDisks[0].cloudDiskSpec.diskName is not a field of DiskSpec");
    });

    it("refuses a system disk whose category does not fit the image", async () => {
      const img = await image("img-m5s0centos8");
      const { message } = await refusal(
        client().createInstances(
          { instanceSpec: spec(img, { systemDisk: { diskCategory: "cloud", cloudDiskSpec: { diskSizeGB: 40, diskType: "ssd.gp1" } } }) },
          REGION,
        ),
      );
      assert.equal(
        message,
        "image 'img-m5s0centos8' boots from a local disk: instanceSpec.systemDisk.diskCategory must be local (or left out), not cloud",
      );
    });

    it("refuses a data disk smaller than its snapshot, or made from a snapshot the image does not have", async () => {
      const img = await image("img-h8ly274zg9");
      const [first] = instanceDisks(img).dataDisks;
      assert.ok(first);
      const small = { ...first, cloudDiskSpec: { ...first.cloudDiskSpec, diskSizeGB: 10 } };
      assert.equal(
        (await refusal(client().createInstances({ instanceSpec: spec(img, { dataDisks: [small] }) }, REGION))).message,
        "instanceSpec.dataDisks[0].cloudDiskSpec.diskSizeGB must be at least its snapshot's 200 GB, not 10",
      );
      const foreign = { ...first, cloudDiskSpec: { ...first.cloudDiskSpec, snapshotId: "snapshot-nosuch" } };
      assert.equal(
        (await refusal(client().createInstances({ instanceSpec: spec(img, { dataDisks: [foreign] }) }, REGION))).message,
        `instanceSpec.dataDisks[0].cloudDiskSpec.snapshotId "snapshot-nosuch" is not a data disk snapshot of image 'img-h8ly274zg9'`,
      );
    });

    it("refuses an image that is missing or not ready", async () => {
      assert.equal(
        (await refusal(client().createInstances({ instanceSpec: { name: "x", imageId: "img-nosuch0001" } }, REGION))).message,
        "image 'img-nosuch0001' does not exist in region cn-north-1",
      );
      assert.equal(
        (await refusal(client().createInstances({ instanceSpec: { name: "x", imageId: "img-pend1ng0001" } }, REGION))).message,
        "image 'img-pend1ng0001' is pending, not ready",
      );
    });
  });
}
