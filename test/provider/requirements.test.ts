/** requirements: which requirements an image misses, as a pure function. */
import { strict as assert } from "node:assert";
import { findMisses } from "../../provider/requirements";
import type { ApiImage } from "../../provider/jdcloud/schemas";

const IMAGE: ApiImage = {
  imageId: "img-a",
  name: "Ubuntu 22.04",
  platform: "Ubuntu",
  architecture: "x86_64",
  systemDiskSizeGB: 40,
  imageSource: "public",
  osType: "linux",
  status: "ready",
  snapshots: [],
};

describe("requirements", () => {
  it("requires a ready image when nothing is asked, and accepts any status with 'any'", () => {
    assert.deepEqual(findMisses(IMAGE), []);
    assert.deepEqual(findMisses({ ...IMAGE, status: "pending" }), [{ field: "status", wanted: "ready", found: "pending" }]);
    assert.deepEqual(findMisses({ ...IMAGE, status: "error" }, { status: "any" }), []);
    assert.deepEqual(findMisses({ ...IMAGE, status: "error" }, { status: ["ready", "any"] }), []);
  });

  it("names every field that misses, with what was wanted and found", () => {
    const misses = findMisses(IMAGE, {
      osType: "windows",
      platform: ["CentOS", "Windows Server"],
      architecture: "aarch64",
      maxSystemDiskSizeGB: 20,
    });
    assert.deepEqual(misses, [
      { field: "osType", wanted: "windows", found: "linux" },
      { field: "platform", wanted: ["CentOS", "Windows Server"], found: "Ubuntu" },
      { field: "architecture", wanted: "aarch64", found: "x86_64" },
      { field: "systemDiskSizeGB", wanted: 20, found: 40 },
    ]);
  });

  it("treats a field JD Cloud did not send as a miss, and a disk exactly at the limit as a fit", () => {
    const { architecture: _a, ...noArch } = IMAGE;
    assert.deepEqual(findMisses(noArch, { architecture: "x86_64" }), [{ field: "architecture", wanted: "x86_64", found: undefined }]);
    assert.deepEqual(findMisses(IMAGE, { maxSystemDiskSizeGB: 40 }), []);
  });
});
