import { strict as assert } from "node:assert";
import { builtinImages } from "../../emulator/builtinImages";
import { servedImage } from "../support/images";
import { InvalidArgumentError } from "../../provider/jdcloud/errors";
import type { Image } from "../../provider/jdcloud/image";
import { instanceDisks, terraformInstanceDisks } from "../../sdk/nodejs/instanceDisks";

/** A built-in image as the API of `shape` describes it (what getImage returns). */
function served(imageId: string, shape: "coc-vm" | "vm"): Image {
  const image = builtinImages().find((i) => i.imageId === imageId && i.regionId === "cn-north-1");
  assert.ok(image, imageId);
  return servedImage(image, shape);
}

const cocVm = (): Image => served("img-h8ly274zg9", "coc-vm");

describe("instanceDisks", () => {
  describe("the system disk fits the image", () => {
    it("is a cloud disk of at least the image's size for a cloudDisk image (the vm API says)", () => {
      const image = served("img-h8ly274zg9", "vm");
      assert.equal(image.rootDeviceType, "cloudDisk");
      assert.deepEqual(instanceDisks(image, { systemDiskSizeGB: 40 }).systemDisk, {
        diskCategory: "cloud",
        cloudDiskSpec: { diskSizeGB: 60, diskType: "ssd.gp1" },
      });
      assert.equal(instanceDisks(image, { systemDiskSizeGB: 120 }).systemDisk.cloudDiskSpec?.diskSizeGB, 120);
    });

    it("is a local disk, with no cloudDiskSpec, for a localDisk image", () => {
      const image = served("img-m5s0centos8", "vm");
      assert.equal(image.rootDeviceType, "localDisk");
      assert.deepEqual(instanceDisks(image, { systemDiskSizeGB: 100 }).systemDisk, { diskCategory: "local" });
    });

    it("leaves the category to JD Cloud when the image does not say (coc-vm), with the cloud disk spec it uses for a cloud disk", () => {
      assert.deepEqual(instanceDisks(cocVm(), { systemDiskSizeGB: 80 }).systemDisk, {
        cloudDiskSpec: { diskSizeGB: 80, diskType: "ssd.gp1" },
      });
      assert.deepEqual(instanceDisks(cocVm(), { systemDiskCategory: "cloud" }).systemDisk, {
        diskCategory: "cloud",
        cloudDiskSpec: { diskSizeGB: 60, diskType: "ssd.gp1" },
      });
      assert.deepEqual(instanceDisks(cocVm(), { systemDiskCategory: "local" }).systemDisk, { diskCategory: "local" });
    });

    it("refuses a category the image does not allow, in one sentence", () => {
      assert.throws(
        () => instanceDisks(served("img-m5s0centos8", "vm"), { systemDiskCategory: "cloud" }),
        (err: unknown) =>
          err instanceof InvalidArgumentError &&
          err.message ===
            "Invalid systemDiskCategory for instanceDisks: is 'cloud', but image 'img-m5s0centos8' boots from a local disk (rootDeviceType localDisk); leave systemDiskCategory out, or choose an image with a cloud system disk.",
      );
    });

    it("refuses sizes that are not whole GB above 0", () => {
      for (const wanted of [{ systemDiskSizeGB: 0 }, { systemDiskSizeGB: 1.5 }, { dataDiskSizeGB: -1 }]) {
        assert.throws(
          () => instanceDisks(cocVm(), wanted),
          /is (0|1\.5|-1), not a whole number of GB above 0; give the size in whole GB, e\.g\. 60\./,
        );
      }
    });
  });

  describe("data disks", () => {
    const expected = [
      {
        diskCategory: "cloud",
        autoDelete: true,
        cloudDiskSpec: { name: "data", snapshotId: "snapshot-dat1h8ly27", diskSizeGB: 200, diskType: "ssd.gp1" },
      },
      {
        diskCategory: "cloud",
        autoDelete: true,
        cloudDiskSpec: { name: "logs", snapshotId: "snapshot-log2h8ly27", diskSizeGB: 100, diskType: "hdd.std1" },
      },
    ];

    it("are one per data-disk snapshot of a coc-vm image: snapshotId, size, type and name (DiskSpec's fields)", () => {
      assert.deepEqual(instanceDisks(cocVm()).dataDisks, expected);
    });

    it("are one per data disk of a vm image, on the device the image names", () => {
      assert.deepEqual(
        instanceDisks(served("img-h8ly274zg9", "vm")).dataDisks,
        expected.map((d, i) => ({ ...d, deviceName: ["vdb", "vdc"][i] })),
      );
    });

    it("are never below the snapshot's size, and take the wanted size and type where the image does not say", () => {
      const image: Image = {
        ...cocVm(),
        snapshots: [{ diskSnapshotId: "snapshot-x", diskSize: 100, diskCategory: "data_disk" }],
      };
      assert.deepEqual(instanceDisks(image, { dataDiskSizeGB: 50, dataDiskType: "hdd.std1", autoDelete: false }).dataDisks, [
        {
          diskCategory: "cloud",
          autoDelete: false,
          cloudDiskSpec: { name: "data-1", snapshotId: "snapshot-x", diskSizeGB: 100, diskType: "hdd.std1" },
        },
      ]);
      assert.equal(instanceDisks(image, { dataDiskSizeGB: 300 }).dataDisks[0]?.cloudDiskSpec.diskSizeGB, 300);
      assert.equal(instanceDisks(image, { dataDiskNamePrefix: "app" }).dataDisks[0]?.cloudDiskSpec.name, "app-1");
    });

    it("are none for an image without data disks", () => {
      assert.deepEqual(instanceDisks(served("img-ubnt2204lts", "coc-vm")).dataDisks, []);
      assert.deepEqual(instanceDisks(served("img-ubnt2204lts", "vm")).dataDisks, []);
    });
  });

  describe("the Terraform-bridged shape (terraformInstanceDisks)", () => {
    it("gives jdcloud_instance's system_disk and data_disk blocks in the bridge's names", () => {
      assert.deepEqual(terraformInstanceDisks(served("img-h8ly274zg9", "vm")), {
        systemDisk: { diskCategory: "cloud", diskType: "ssd.gp1", diskSizeGb: 60 },
        dataDisks: [
          {
            diskCategory: "cloud",
            autoDelete: true,
            deviceName: "vdb",
            diskName: "data",
            diskType: "ssd.gp1",
            diskSizeGb: 200,
            snapshotId: "snapshot-dat1h8ly27",
          },
          {
            diskCategory: "cloud",
            autoDelete: true,
            deviceName: "vdc",
            diskName: "logs",
            diskType: "hdd.std1",
            diskSizeGb: 100,
            snapshotId: "snapshot-log2h8ly27",
          },
        ],
      });
      assert.deepEqual(terraformInstanceDisks(served("img-m5s0centos8", "vm")).systemDisk, { diskCategory: "local" });
      assert.deepEqual(terraformInstanceDisks(cocVm()).systemDisk, { diskType: "ssd.gp1", diskSizeGb: 60 });
    });
  });
});
