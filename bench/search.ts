/**
 * Run 7: image search. A region with 2,000 public images (20 pages of 100) at 10 ms latency, served
 * by the emulator bin in a process of its own (as JD Cloud is; in this process its work would be
 * timed as ours, and more so for concurrent pages than for one page at a time): our
 * getImages (first page, then the rest concurrently within the in-flight bound) against the
 * official SDK paging describeImages one page after another; the same set of IDs. And 50 identical
 * findImage calls in one process: how many requests they cost.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
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

/** The emulator bin in a process of its own, as a server is: its work is not timed as the clients'. */
async function emulatorProcess(
  root: string,
  images: readonly object[],
): Promise<{ endpoint: string; accessKey: string; secretKey: string; requests(): number; close(): void }> {
  const fixtures = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "jdcloud-bench-search-")), "fixtures.json");
  fs.writeFileSync(fixtures, JSON.stringify({ images, latencyMs: 10 }));
  const child = spawn(process.execPath, [path.join(root, "dist", "emulator", "bin.js"), "--port", "0", "--fixtures", fixtures], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let requests = 0;
  child.stderr.on(
    "data",
    (chunk: Buffer) =>
      (requests += chunk
        .toString()
        .split("\n")
        .filter((l) => / GET /.test(l)).length),
  );
  const ready = await new Promise<{ endpoint: string; accessKey: string; secretKey: string }>((resolve, reject) => {
    child.stdout.once("data", (chunk: Buffer) =>
      resolve(JSON.parse(chunk.toString()) as { endpoint: string; accessKey: string; secretKey: string }),
    );
    child.once("exit", (code) => reject(new Error(`the emulator exited with ${code}`)));
  });
  return { ...ready, requests: () => requests, close: () => child.kill() };
}

export async function searchTimes(rounds = 5): Promise<SearchTimes> {
  const root = path.resolve(__dirname, "..");
  const sdk = require(path.join(root, "dist", "sdk", "nodejs")) as typeof import("../sdk/nodejs");
  const two = (n: number): string => String(n).padStart(2, "0");
  const images = publicCatalogue(2000, REGION, "search", (i) => `2026-01-01 00:${two(Math.floor(i / 60) % 60)}:${two(i % 60)}`);
  const emulator = await emulatorProcess(root, images);
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
    // Its request lines arrive on a pipe: let the last round's lines in before counting.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const before = emulator.requests();
    await Promise.all(
      Array.from({ length: 50 }, () => sdk.findImage({ imageSource: "public", select: "mostRecent", maxResults: 2000 }, opts)),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { ours: median(ours), official: median(official), sameIds, findRequests: emulator.requests() - before };
  } finally {
    emulator.close();
  }
}
