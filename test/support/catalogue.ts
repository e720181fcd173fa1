/** A catalogue of many public images in one region, for paging tests and benchmarks. */
import type { EmulatorImage } from "../../emulator/store";

/**
 * `count` public Ubuntu images `img-<prefix>00000`…, in `regionId`, with the createTime `timeOf`
 * gives image `i` (several images may share one, to test the order of ties).
 */
export function publicCatalogue(count: number, regionId: string, prefix: string, timeOf: (i: number) => string): EmulatorImage[] {
  return Array.from({ length: count }, (_, i) => ({
    regionId,
    imageId: `img-${prefix}${String(i).padStart(5, "0")}`,
    name: `image ${i}`,
    platform: "Ubuntu",
    systemDiskSizeGB: 40,
    imageSource: "public",
    osType: "linux",
    status: "ready",
    createTime: timeOf(i),
  }));
}
