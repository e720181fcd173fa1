/**
 * Run 1 in a process of its own, so peak RSS is this client's alone: N lookups over the given
 * image IDs, all started at once as a Pulumi program does. Prints one JSON line: wall time, peak
 * RSS, lookups that resolved.
 */
import { BenchSettings, CLIENTS } from "./clients";

/** What the parent passes as the one argument, as JSON. */
export interface ChildJob {
  readonly client: string;
  readonly settings: BenchSettings;
  readonly ids: readonly string[];
  readonly calls: number;
}

/** What the child prints. */
export interface ChildResult {
  readonly wallMs: number;
  readonly maxRssMB: number;
  readonly ok: number;
}

async function main(): Promise<void> {
  const { client, settings, ids, calls } = JSON.parse(process.argv[2] ?? "{}") as ChildJob;
  const make = CLIENTS[client];
  if (!make) throw new Error(`no client '${client}'`);
  const c = make(settings);
  // One warm-up lookup, of an ID outside the measured set, loads the code paths.
  await c.lookup(settings.warmupId);
  c.reset();
  const started = process.hrtime.bigint();
  const results = await Promise.all(Array.from({ length: calls }, (_, i) => c.lookup(ids[i % ids.length] as string)));
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const result: ChildResult = { wallMs, maxRssMB: process.resourceUsage().maxRSS / 1024, ok: results.length };
  process.stdout.write(JSON.stringify(result) + "\n");
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
