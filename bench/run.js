/*
 * npm run bench — every benchmark in one run, side by side, printed as one table:
 *   1. 2,000 lookups of 50 images at 10 ms latency, all at once: ours vs the official SDK
 *   2. 500 distinct lookups, 8 in flight, no latency: ours vs a minimal signed client (the floor)
 *   3. signatures per second: our signer vs the official SDK's
 *   4. peak RSS of run 1
 *   5. `pulumi preview` with 200 lookups of 20 images vs none (where a CLI is available)
 * Scripts, not tests: nothing here asserts; misses are reported in the table.
 */
"use strict";
const path = require("node:path");
const { spawn } = require("node:child_process");
const clients = require("./clients");
const { signatureRates } = require("./signatures");
const { previewTimes } = require("./preview");

const REGION = "cn-north-1";
const { startEmulator } = require(path.resolve(__dirname, "../dist/emulator"));

function image(imageId) {
  return { regionId: REGION, imageId, name: `bench ${imageId}`, platform: "Ubuntu", architecture: "x86_64", osType: "linux", status: "ready", systemDiskSizeGB: 40, imageSource: "private", createTime: "2026-11-01 00:00:00", snapshots: [] };
}

const few = Array.from({ length: 50 }, (_, i) => `img-bench${String(i).padStart(4, "0")}`);
const distinct = Array.from({ length: 500 }, (_, i) => `img-distinct${String(i).padStart(4, "0")}`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function child(client, settings, ids, calls) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [path.join(__dirname, "lookupsChild.js"), JSON.stringify({ client, settings, ids, calls })], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    proc.stdout.on("data", (c) => (out += c));
    proc.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${client} run failed`))));
  });
}

async function run1(emulator, settings) {
  emulator.setLatency(10);
  const result = {};
  for (const client of ["ours", "official"]) {
    const walls = [];
    let requests = 0;
    let rss = 0;
    for (let round = 0; round < 3; round++) {
      emulator.resetRequests();
      const r = await child(client, settings, few, 2000);
      walls.push(r.wallMs);
      rss = Math.max(rss, r.maxRssMB);
      requests = emulator.requests.filter((q) => q.imageId !== settings.warmupId).length;
    }
    result[client] = { wallMs: median(walls), requests, rssMB: rss };
  }
  emulator.setLatency(0);
  return result;
}

/** Runs lookups with `width` workers; returns wall ms. */
async function pool(lookup, ids, width) {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < ids.length) await lookup(ids[next++]);
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function run2(settings) {
  const ours = clients.ours(settings);
  const floor = clients.floor(settings);
  const times = { ours: [], floor: [] };
  // Alternate which goes first: on two cores the second of a pair runs on a warmer (or busier) machine.
  for (let round = 0; round < 21; round++) {
    const order = round % 2 === 0 ? [["floor", floor], ["ours", ours]] : [["ours", ours], ["floor", floor]];
    for (const [name, c] of order) {
      c.reset();
      const t = await pool(c.lookup, distinct, 8);
      if (round > 0) times[name].push(t); // round 0 warms both up
    }
  }
  return { ours: median(times.ours), floor: median(times.floor) };
}

const fmt = (n, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main() {
  const emulator = await startEmulator({ images: [...few, ...distinct, "img-warmup"].map(image) });
  const settings = { endpoint: emulator.endpoint, accessKey: emulator.accessKey, secretKey: emulator.secretKey, region: REGION, warmupId: "img-warmup" };
  try {
    process.stderr.write("bench: run 1 (2,000 lookups of 50 images, 10 ms latency)...\n");
    const r1 = await run1(emulator, settings);
    process.stderr.write("bench: run 2 (500 distinct lookups, 8 in flight)...\n");
    const r2 = await run2(settings);
    process.stderr.write("bench: run 3 (signatures per second)...\n");
    const r3 = signatureRates();
    process.stderr.write("bench: run 5 (pulumi preview, 200 lookups vs none)...\n");
    const r5 = await previewTimes(emulator);

    const rows = [
      ["1", "2,000 lookups / 50 images, 10 ms: requests sent", fmt(r1.ours.requests), `${fmt(r1.official.requests)} (SDK)`, "", "ours = 50", r1.ours.requests === 50],
      ["1", "2,000 lookups / 50 images, 10 ms: wall time", `${fmt(r1.ours.wallMs)} ms`, `${fmt(r1.official.wallMs)} ms (SDK)`, `${fmt(r1.official.wallMs / r1.ours.wallMs, 1)}x faster`, ">= 10x faster", r1.official.wallMs / r1.ours.wallMs >= 10],
      ["2", "500 distinct lookups, 8 in flight: wall time", `${fmt(r2.ours)} ms`, `${fmt(r2.floor)} ms (floor)`, `${fmt(r2.ours / r2.floor, 2)}x floor, +${fmt(((r2.ours - r2.floor) / 500) * 1000)} us/lookup`, "<= 1.2x", r2.ours / r2.floor <= 1.2],
      ["3", "signatures per second", fmt(r3.ours), `${fmt(r3.official)} (SDK)`, `${fmt(r3.ours / r3.official, 1)}x`, ">= 3x", r3.ours / r3.official >= 3],
      ["4", "peak RSS of run 1", `${fmt(r1.ours.rssMB)} MB`, `${fmt(r1.official.rssMB)} MB (SDK)`, `${fmt(r1.official.rssMB / r1.ours.rssMB, 1)}x less`, "(reported)", true],
      r5
        ? ["5", "pulumi preview, 200 lookups / 20 images vs none", `${fmt(r5.withLookups)} ms`, `${fmt(r5.without)} ms (none)`, `${fmt(r5.withLookups / r5.without, 2)}x`, "<= 1.3x", r5.withLookups / r5.without <= 1.3]
        : ["5", "pulumi preview, 200 lookups / 20 images vs none", "no CLI", "", "", "<= 1.3x", false],
    ];
    const header = ["run", "measure", "ours", "compared with", "ratio", "target", "met"];
    const table = [header, header.map(() => "---"), ...rows.map((r) => [...r.slice(0, 6), r[6] ? "yes" : "NO"])];
    process.stdout.write(table.map((r) => `| ${r.join(" | ")} |`).join("\n") + "\n");
    process.stdout.write(`\nNode ${process.version}, ${require("node:os").cpus().length} cores${r5 ? `, Pulumi CLI ${r5.cli}` : ""}; emulator on loopback.\n`);
  } finally {
    await emulator.close();
  }
}

main().catch((err) => {
  process.stderr.write(`bench: ${err.stack || err}\n`);
  process.exitCode = 1;
});
