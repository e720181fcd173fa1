/*
 * Run 1 in a process of its own, so peak RSS is this client's alone: N lookups
 * over the given image IDs, all started at once as a Pulumi program does.
 * Prints one JSON line: wall time, peak RSS, lookups that resolved.
 */
"use strict";
const clients = require("./clients");

async function main() {
  const { client, settings, ids, calls } = JSON.parse(process.argv[2]);
  const c = clients[client](settings);
  // One warm-up lookup, of an ID outside the measured set, loads the code paths.
  await c.lookup(settings.warmupId);
  c.reset();
  const started = process.hrtime.bigint();
  const results = await Promise.all(Array.from({ length: calls }, (_, i) => c.lookup(ids[i % ids.length])));
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(JSON.stringify({ wallMs, maxRssMB: process.resourceUsage().maxRSS / 1024, ok: results.length }) + "\n");
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack) + "\n");
  process.exit(1);
});
