/**
 * npm run bench — every benchmark in one run, printed as one table:
 *   1. 2,000 lookups of 50 images started at once, 10 ms latency: ours vs the official SDK, ours
 *      vs the latency floor (waves of 8 in flight × latency), and, cold, ours vs a lean client
 *      that also shares and bounds (what any client pays in a fresh process), that client vs the
 *      floor, and how long the server's latency timer actually held each request
 *   2. 500 distinct lookups, 8 in flight, no latency: ours vs the lean floor client
 *   3. signatures per second: our signer vs the official SDK's
 *   4. peak RSS of run 1
 *   5. `pulumi preview` with 200 lookups of 20 images vs none (where a CLI is available)
 *   6. `pulumi preview` that fails on a missing image vs the same stack passing
 *   7. getImages over 2,000 images (20 pages) vs the official SDK paging, and 50 identical findImage calls
 *   8. the provider plugin's start-up and one invoke vs the dynamic provider's path
 *   9. the release's self-contained plugin (linux-amd64) vs the same bundle on the node on PATH,
 *      and each plugin tarball's size (needs `npm run release` first)
 *  10. `pulumi preview` of 200 instance-like resources over 20 images with guardImages() vs without
 * Runs 1 and 2 are timed cold (a fresh process per client and run, as a Pulumi program runs) and
 * warm (medians of interleaved rounds after a warm-up, in one process), with the spread, against
 * a scripted server in this process that checks no signatures (bench/server.ts), while the
 * clients run in child processes. Scripts, not tests: nothing here asserts; misses are reported.
 */
import { spawn } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import type { Emulator, EmulatorImage } from "../emulator";
import { MAX_IN_FLIGHT } from "../provider/jdcloud/constants";
import { median } from "../scripts/toolchain";
import type { BenchSettings } from "./clients";
import type { ChildJob, ChildResult } from "./lookupsChild";
import { pluginTimes, releaseTarballSizes, selfContainedTimes } from "./plugin";
import { previewTimes } from "./preview";
import { benchImage, startScriptedServer } from "./server";
import { searchTimes } from "./search";
import { signatureRates } from "./signatures";

const REGION = "cn-north-1";
const LATENCY_MS = 10;
const { startEmulator } = require(path.resolve(__dirname, "../dist/emulator")) as typeof import("../emulator");

const few = Array.from({ length: 50 }, (_, i) => `img-bench${String(i).padStart(4, "0")}`);
const distinct = Array.from({ length: 500 }, (_, i) => `img-distinct${String(i).padStart(4, "0")}`);

function child(job: ChildJob): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", path.join(__dirname, "lookupsChild.ts"), JSON.stringify(job)],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    proc.stdout.on("data", (c: Buffer) => (out += c.toString()));
    proc.on("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out) as ChildResult) : reject(new Error(`${job.clients.join(",")} ${job.mode} run failed`)),
    );
  });
}

/** Times of one client over runs: median and spread. */
interface Timed {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

function timed(xs: readonly number[]): Timed {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

/** Cold: `runs` fresh processes per client, each timing its first round. */
async function cold(job: Omit<ChildJob, "mode" | "clients">, clients: readonly string[], runs: number): Promise<Record<string, Timed>> {
  const times: Record<string, number[]> = Object.fromEntries(clients.map((c) => [c, []]));
  for (let run = 0; run < runs; run++) {
    for (const client of clients) {
      const r = await child({ ...job, mode: "cold", clients: [client] });
      times[client]?.push(...(r.wallMs[client] ?? []));
    }
  }
  return Object.fromEntries(Object.entries(times).map(([c, xs]) => [c, timed(xs)]));
}

/** Warm: `processes` processes of interleaved rounds; per client, and the median of per-round ratios a/b. */
async function warm(
  job: Omit<ChildJob, "mode" | "clients">,
  a: string,
  b: string,
  processes: number,
): Promise<{ a: Timed; b: Timed; ratio: Timed; rssMB: number }> {
  const ta: number[] = [];
  const tb: number[] = [];
  const ratios: number[] = [];
  let rss = 0;
  for (let p = 0; p < processes; p++) {
    const r = await child({ ...job, mode: "warm", clients: [a, b] });
    const ra = r.wallMs[a] ?? [];
    const rb = r.wallMs[b] ?? [];
    ta.push(...ra);
    tb.push(...rb);
    ra.forEach((t, i) => ratios.push(t / (rb[i] ?? Number.NaN)));
    rss = Math.max(rss, r.maxRssMB);
  }
  return { a: timed(ta), b: timed(tb), ratio: timed(ratios), rssMB: rss };
}

const fmt = (n: number, digits = 0): string => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ms = (t: Timed): string => `${fmt(t.median)} ms (${fmt(t.min)}–${fmt(t.max)})`;

async function main(): Promise<void> {
  const server = await startScriptedServer();
  const settings: BenchSettings = { endpoint: server.endpoint, accessKey: "BENCHACCESSKEY", secretKey: "BENCHSECRETKEY", region: REGION };
  const emulator: Emulator = await startEmulator({
    images: [...few, ...distinct].map((id) => ({ regionId: REGION, ...benchImage(id) }) as EmulatorImage),
  });
  try {
    const waves = Math.ceil(few.length / MAX_IN_FLIGHT);
    const latencyFloor = waves * LATENCY_MS;
    const run1 = { settings, ids: few, calls: 2000, workload: "burst" as const };
    server.setLatency(LATENCY_MS);
    process.stderr.write("bench: run 1 cold (2,000 lookups of 50 images, 10 ms latency; fresh processes)...\n");
    server.reset();
    const r1cold = await cold(run1, ["ours"], 5);
    const requestsPerRound = server.requests / 5;
    const peak = server.peakInFlight;
    const heldMs = server.heldMs;
    const r1coldSdk = await cold(run1, ["official"], 3);
    const r1coldFloor = await cold(run1, ["floorShared"], 5);
    process.stderr.write("bench: run 1 warm (interleaved rounds)...\n");
    const r1warm = await warm({ ...run1, rounds: 7 }, "ours", "official", 1);
    const r1one = await warm({ ...run1, rounds: 7, serverInProcess: { latencyMs: LATENCY_MS } }, "ours", "official", 1);
    server.setLatency(0);
    process.stderr.write("bench: run 2 (500 distinct lookups, 8 in flight), cold and warm...\n");
    const run2 = { settings, ids: distinct, calls: 500, width: 8, workload: "pool" as const };
    const r2cold = await cold(run2, ["ours", "floor"], 5);
    const r2warm = await warm({ ...run2, rounds: 21 }, "ours", "floor", 3);
    const r2one = await warm({ ...run2, rounds: 21, serverInProcess: { latencyMs: 0 } }, "ours", "floor", 3);
    process.stderr.write("bench: run 3 (signatures per second)...\n");
    const r3 = signatureRates();
    process.stderr.write("bench: run 7 (getImages over 2,000 images, 20 pages, 10 ms)...\n");
    const r7 = await searchTimes();
    process.stderr.write("bench: runs 5 and 6 (pulumi preview: 200 lookups vs none; failing vs passing)...\n");
    const r5 = await previewTimes(emulator);
    process.stderr.write("bench: run 8 (provider plugin: start-up and one invoke, vs the dynamic provider's path)...\n");
    const r8 = await pluginTimes();
    const { version } = require(path.resolve(__dirname, "../package.json")) as { version: string };
    process.stderr.write("bench: run 9 (the release's self-contained plugin vs the bundle on node; tarball sizes)...\n");
    const r9 = await selfContainedTimes(version);
    if (!r9) process.stderr.write(`bench: run 9 skipped: dist/release holds no release of ${version} (run npm run release)\n`);

    const oursCold = r1cold["ours"];
    const sdkCold = r1coldSdk["official"];
    const c2ours = r2cold["ours"];
    const c2floor = r2cold["floor"];
    type Row = [string, string, string, string, string, string, string, boolean | undefined];
    const rows: Row[] = [
      [
        "1",
        "cold",
        `requests per round, most in flight`,
        `${fmt(requestsPerRound)}, ${peak}`,
        "2,000 (SDK)",
        "",
        `50, <= ${MAX_IN_FLIGHT}`,
        requestsPerRound === 50 && peak <= MAX_IN_FLIGHT,
      ],
      [
        "1",
        "cold",
        "2,000 lookups / 50 images, 10 ms",
        ms(oursCold),
        `${ms(sdkCold)} (SDK)`,
        `${fmt(oursCold.median / sdkCold.median, 3)}x SDK`,
        "<= 0.1x SDK",
        oursCold.median <= 0.1 * sdkCold.median,
      ],
      [
        "1",
        "cold",
        "the same against the latency floor",
        ms(oursCold),
        `${latencyFloor} ms (${waves} waves x ${LATENCY_MS} ms)`,
        `${fmt(oursCold.median / latencyFloor, 2)}x floor`,
        "<= 1.2x floor",
        oursCold.median <= 1.2 * latencyFloor,
      ],
      [
        "1",
        "cold",
        "the same against a lean client that shares and bounds too",
        ms(oursCold),
        `${ms(r1coldFloor["floorShared"] ?? oursCold)} (lean, shared, <= ${MAX_IN_FLIGHT})`,
        `${fmt(oursCold.median / (r1coldFloor["floorShared"]?.median ?? Number.NaN), 2)}x lean`,
        "(reported)",
        undefined,
      ],
      [
        "1",
        "cold",
        "the lean client that shares and bounds, against the latency floor",
        ms(r1coldFloor["floorShared"] ?? oursCold),
        `${latencyFloor} ms (${waves} waves x ${LATENCY_MS} ms)`,
        `${fmt((r1coldFloor["floorShared"]?.median ?? Number.NaN) / latencyFloor, 2)}x floor`,
        "(reported)",
        undefined,
      ],
      [
        "1",
        "cold",
        `what the server's ${LATENCY_MS} ms timer held each request (median)`,
        `${fmt(heldMs, 1)} ms`,
        `${LATENCY_MS} ms`,
        `${waves} waves x ${fmt(heldMs, 1)} ms = ${fmt(waves * heldMs)} ms`,
        "(reported)",
        undefined,
      ],
      [
        "1",
        "warm",
        "2,000 lookups / 50 images, 10 ms",
        ms(r1warm.a),
        `${ms(r1warm.b)} (SDK)`,
        `${fmt(r1warm.ratio.median, 3)}x SDK`,
        "<= 0.1x SDK",
        r1warm.ratio.median <= 0.1,
      ],
      [
        "1",
        "warm",
        "the same against the latency floor",
        ms(r1warm.a),
        `${latencyFloor} ms (${waves} waves x ${LATENCY_MS} ms)`,
        `${fmt(r1warm.a.median / latencyFloor, 2)}x floor`,
        "<= 1.2x floor",
        r1warm.a.median <= 1.2 * latencyFloor,
      ],
      [
        "1",
        "warm, one process",
        "the same, server and both clients in one process",
        ms(r1one.a),
        `${ms(r1one.b)} (SDK)`,
        `${fmt(r1one.ratio.median, 3)}x SDK`,
        "<= 0.1x SDK",
        r1one.ratio.median <= 0.1,
      ],
      [
        "2",
        "cold",
        "500 distinct lookups, 8 in flight",
        ms(c2ours),
        `${ms(c2floor)} (lean floor)`,
        `${fmt(c2ours.median / c2floor.median, 2)}x floor`,
        "(reported)",
        undefined,
      ],
      [
        "2",
        "warm",
        "500 distinct lookups, 8 in flight",
        ms(r2warm.a),
        `${ms(r2warm.b)} (lean floor)`,
        `${fmt(r2warm.ratio.median, 2)}x floor (${fmt(r2warm.ratio.min, 2)}–${fmt(r2warm.ratio.max, 2)})`,
        "<= 1.2x floor",
        r2warm.ratio.median <= 1.2,
      ],
      [
        "2",
        "warm, one process",
        "the same, server and both clients in one process",
        ms(r2one.a),
        `${ms(r2one.b)} (lean floor)`,
        `${fmt(r2one.ratio.median, 2)}x floor (${fmt(r2one.ratio.min, 2)}–${fmt(r2one.ratio.max, 2)})`,
        "<= 1.2x floor",
        r2one.ratio.median <= 1.2,
      ],
      [
        "3",
        "warm",
        "signatures per second",
        fmt(r3.ours),
        `${fmt(r3.official)} (SDK)`,
        `${fmt(r3.ours / r3.official, 1)}x`,
        ">= 3x",
        r3.ours / r3.official >= 3,
      ],
      ["4", "warm", "peak RSS of run 1 (ours and SDK in one process)", `${fmt(r1warm.rssMB)} MB`, "", "", "(reported)", undefined],
      r5
        ? [
            "5",
            "cold",
            `pulumi preview (${r5.mode === "file" ? "file program" : "inline program"}), 200 lookups / 20 images vs none`,
            `${fmt(r5.withLookups)} ms`,
            `${fmt(r5.without)} ms (none)`,
            `${fmt(r5.withLookups / r5.without, 2)}x`,
            "<= 1.3x",
            r5.withLookups / r5.without <= 1.3,
          ]
        : ["5", "cold", "pulumi preview, 200 lookups / 20 images vs none", "no CLI", "", "", "<= 1.3x", false],
      r5
        ? [
            "6",
            "cold",
            `pulumi preview (${r5.mode === "file" ? "file program" : "inline program"}) failing on a missing image vs passing`,
            `${fmt(r5.gateFails)} ms`,
            `${fmt(r5.gatePasses)} ms (passing)`,
            `${fmt(r5.gateFails / r5.gatePasses, 2)}x`,
            "<= 1.5x + 2 s",
            r5.gateFails <= 1.5 * r5.gatePasses + 2000,
          ]
        : ["6", "cold", "pulumi preview failing on a missing image vs passing", "no CLI", "", "", "<= 1.5x + 2 s", false],
      r5
        ? [
            "10",
            "cold",
            `pulumi preview (${r5.mode === "file" ? "file program" : "inline program"}), 200 resources / 20 images, guardImages() vs unguarded`,
            `${fmt(r5.guarded)} ms`,
            `${fmt(r5.unguarded)} ms (unguarded)`,
            `${fmt(r5.guarded / r5.unguarded, 2)}x`,
            "<= 1.1x",
            r5.guarded / r5.unguarded <= 1.1,
          ]
        : ["10", "cold", "pulumi preview, 200 guarded resources vs unguarded", "no CLI", "", "", "<= 1.1x", false],
    ];
    rows.push(
      [
        "7",
        "warm",
        "getImages, 2,000 images in 20 pages, 10 ms (emulator)",
        `${fmt(r7.ours)} ms`,
        `${fmt(r7.official)} ms (SDK, page by page)`,
        `${fmt(r7.ours / r7.official, 2)}x SDK${r7.sameIds ? ", same IDs" : ", IDs DIFFER"}`,
        "<= 0.25x SDK",
        r7.sameIds && r7.ours <= 0.25 * r7.official,
      ],
      [
        "7",
        "warm",
        "50 identical findImage calls: requests",
        fmt(r7.findRequests),
        "20 (one scan)",
        "",
        "one scan",
        r7.findRequests === 20,
      ],
    );
    rows.push(
      [
        "8",
        "cold",
        "provider plugin: process start to port",
        `${fmt(r8.plugin.startMs)} ms`,
        `${fmt(r8.dynamic.startMs)} ms (dynamic-provider host)`,
        `${fmt(r8.plugin.startMs / r8.dynamic.startMs, 2)}x`,
        "<= dynamic path",
        r8.plugin.startMs <= r8.dynamic.startMs,
      ],
      [
        "8",
        "cold",
        "provider plugin: start, configure, one getImage invoke",
        `${fmt(r8.plugin.totalMs)} ms`,
        `${fmt(r8.dynamic.totalMs)} ms (start, configure, check, create an ImageLookup)`,
        `${fmt(r8.plugin.totalMs / r8.dynamic.totalMs, 2)}x`,
        "<= dynamic path",
        r8.plugin.totalMs <= r8.dynamic.totalMs,
      ],
      ...(r9
        ? ([
            [
              "9",
              "cold",
              "self-contained plugin (linux-amd64 SEA): process start to port",
              `${fmt(r9.sea.startMs)} ms`,
              `${fmt(r9.bundle.startMs)} ms (bin/ on the node on PATH)`,
              `${fmt(r9.sea.startMs / r9.bundle.startMs, 2)}x`,
              "<= node bundle",
              r9.sea.startMs <= r9.bundle.startMs,
            ],
            [
              "9",
              "cold",
              "self-contained plugin: start, configure, one getImage invoke",
              `${fmt(r9.sea.totalMs)} ms`,
              `${fmt(r9.bundle.totalMs)} ms (bin/ on the node on PATH)`,
              `${fmt(r9.sea.totalMs / r9.bundle.totalMs, 2)}x`,
              "<= node bundle",
              r9.sea.totalMs <= r9.bundle.totalMs,
            ],
          ] satisfies Row[])
        : []),
      ...releaseTarballSizes(version).flatMap(({ target, kind, bytes }): Row[] =>
        bytes === undefined
          ? []
          : [
              [
                "9",
                "size",
                `plugin tarball ${target} (${kind === "sea" ? "self-contained" : "launcher"})`,
                `${fmt(bytes / 1e6, 1)} MB`,
                "",
                "",
                "",
                undefined,
              ],
            ],
      ),
    );
    const header = ["run", "mode", "measure", "ours: median (min–max)", "compared with", "ratio", "target", "met"];
    const table = [header, header.map(() => "---"), ...rows.map((r) => [...r.slice(0, 7), r[7] === undefined ? "" : r[7] ? "yes" : "NO"])];
    process.stdout.write(table.map((r) => `| ${r.join(" | ")} |`).join("\n") + "\n");
    process.stdout.write(
      `\nNode ${process.version}, ${os.cpus().length} cores${r5 ? `, Pulumi CLI ${r5.cli}` : ""}. Runs 1-2: clients in child processes, a scripted ` +
        `server in this one (no signature checks; "one process": the server in the clients' process); cold = first round of a fresh process (5 processes; the SDK 3), warm = interleaved ` +
        `rounds after a warm-up (run 2: 3 processes x 21 rounds, ratio = median of per-round ratios). Runs 5-6: the emulator. ` +
        `Run 8: the emulator; each path a fresh process per round, driven over gRPC as the engine drives it, 9 interleaved rounds after one of each.\n`,
    );
  } finally {
    await server.close();
    await emulator.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
