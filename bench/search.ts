/**
 * Run 7: image search. A region with 2,000 public images (20 pages of 100) at 10 ms latency: our
 * getImages (first page, then the rest concurrently within the in-flight bound) against the
 * official SDK paging describeImages one page after another; the same set of IDs. And 50 identical
 * findImage calls in one process: how many requests they cost.
 */
import * as path from "node:path";
import { median } from "../scripts/toolchain";
import { publicCatalogue } from "../test/support/catalogue";
import { officialVmClient } from "../test/support/officialSdk";

const REGION = "cn-east-2";

export interface SearchTimes {
  readonly ours: number;
  readonly official: number;
  readonly sameIds: boolean;
  readonly findRequests: number;
}

export async function searchTimes(rounds = 5): Promise<SearchTimes> {
  const root = path.resolve(__dirname, "..");
  const { startEmulator } = require(path.join(root, "dist", "emulator")) as typeof import("../emulator");
  const sdk = require(path.join(root, "dist", "sdk", "nodejs")) as typeof import("../sdk/nodejs");
  const two = (n: number): string => String(n).padStart(2, "0");
  const images = publicCatalogue(2000, REGION, "search", (i) => `2026-01-01 00:${two(Math.floor(i / 60) % 60)}:${two(i % 60)}`);
  const emulator = await startEmulator({ images, latencyMs: 10 });
  try {
    const opts = { endpoint: emulator.endpoint, accessKey: emulator.accessKey, secretKey: emulator.secretKey, region: REGION };
    const vm = officialVmClient(emulator.endpoint, emulator.accessKey, emulator.secretKey, REGION);
    const oursRun = async (): Promise<{ ms: number; ids: string[] }> => {
      sdk.clearImageCache();
      const t = process.hrtime.bigint();
      const found = await sdk.getImages({ imageSource: "public", maxResults: 2000 }, opts);
      return { ms: Number(process.hrtime.bigint() - t) / 1e6, ids: [...found.ids] };
    };
    const officialRun = async (): Promise<{ ms: number; ids: string[] }> => {
      const t = process.hrtime.bigint();
      const ids: string[] = [];
      for (let page = 1; ; page++) {
        const answer = await vm.describeImages({ imageSource: "public", pageSize: 100, pageNumber: page }, REGION);
        ids.push(...answer.result.images.map((i) => String(i["imageId"])));
        if (page * 100 >= answer.result.totalCount) break;
      }
      return { ms: Number(process.hrtime.bigint() - t) / 1e6, ids };
    };
    await oursRun();
    await officialRun();
    const ours: number[] = [];
    const official: number[] = [];
    let sameIds = true;
    for (let r = 0; r < rounds; r++) {
      const [a, b] = r % 2 === 0 ? [await oursRun(), await officialRun()] : [await oursRun(), await officialRun()].reverse();
      ours.push((r % 2 === 0 ? a : b)?.ms ?? Number.NaN);
      official.push((r % 2 === 0 ? b : a)?.ms ?? Number.NaN);
      sameIds &&= JSON.stringify([...(a?.ids ?? [])].sort()) === JSON.stringify([...(b?.ids ?? [])].sort());
    }
    sdk.clearImageCache();
    emulator.resetRequests();
    await Promise.all(
      Array.from({ length: 50 }, () => sdk.findImage({ imageSource: "public", select: "mostRecent", maxResults: 2000 }, opts)),
    );
    return { ours: median(ours), official: median(official), sameIds, findRequests: emulator.requests.length };
  } finally {
    await emulator.close();
  }
}
