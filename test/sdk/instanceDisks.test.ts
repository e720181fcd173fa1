import { strict as assert } from "node:assert";
import { instanceDisks } from "../../sdk/nodejs/instanceDisks";

const image = {
  systemDiskSizeGB: 60,
  snapshots: [
    { diskSnapshotId: "snapshot-sys", diskSize: 60, diskCategory: "system_disk", diskType: "ssd.gp1" },
    { diskSnapshotId: "snapshot-data", diskSnapshotName: "data", diskSize: 200, diskCategory: "data_disk", diskType: "ssd.io1" },
    { diskSnapshotId: "snapshot-logs", diskSize: 100, diskCategory: "data_disk" },
  ],
};

describe("instanceDisks", () => {
  it("makes the system disk at least the image's size", () => {
    assert.equal(instanceDisks(image, { systemDiskSizeGB: 40 }).systemDisk.cloudDiskSpec.diskSizeGB, 60);
    assert.equal(instanceDisks(image, { systemDiskSizeGB: 120 }).systemDisk.cloudDiskSpec.diskSizeGB, 120);
    assert.equal(instanceDisks(image).systemDisk.cloudDiskSpec.diskSizeGB, 60);
  });

  it("adds one data disk per data_disk snapshot, with its ID, size and type, in InstanceSpec shape", () => {
    assert.deepEqual(instanceDisks(image, { dataDiskType: "hdd.std1", autoDelete: false }).dataDisks, [
      {
        diskCategory: "cloud",
        autoDelete: false,
        cloudDiskSpec: { snapshotId: "snapshot-data", diskSizeGB: 200, diskType: "ssd.io1", diskName: "data" },
      },
      { diskCategory: "cloud", autoDelete: false, cloudDiskSpec: { snapshotId: "snapshot-logs", diskSizeGB: 100, diskType: "hdd.std1" } },
    ]);
  });

  it("has no data disks for an image without snapshots", () => {
    assert.deepEqual(instanceDisks({ systemDiskSizeGB: 40, snapshots: [] }).dataDisks, []);
    assert.deepEqual(instanceDisks({ systemDiskSizeGB: 40, snapshots: [] }, { systemDiskType: "ssd.io1" }).systemDisk, {
      diskCategory: "cloud",
      cloudDiskSpec: { diskSizeGB: 40, diskType: "ssd.io1" },
    });
  });
});
