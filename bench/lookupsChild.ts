/**
 * A workload in a process of its own. Cold: each client's first round in this fresh process, as
 * a Pulumi program runs it (no warm-up). Warm: a warm-up round per client, then `rounds`
 * interleaved rounds (the order alternates), so each client is timed in the same conditions.
 * Prints one JSON line: every round's wall time per client, and peak RSS.
 */
import { BenchSettings, CLIENTS } from "./clients";
import { startScriptedServer } from "./server";

/** What the parent passes as the one argument, as JSON. */
export interface ChildJob {
  readonly mode: "cold" | "warm";
  readonly workload: "burst" | "pool";
  readonly clients: readonly string[];
  readonly settings: BenchSettings;
  readonly ids: readonly string[];
  /** Lookups per round: a burst starts them all at once; a pool runs them with `width` workers. */
  readonly calls: number;
  readonly width?: number;
  readonly rounds?: number;
  /** Serve from a scripted server in this same process (as a one-process benchmark does), with this latency. */
  readonly serverInProcess?: { readonly latencyMs: number };
}

/** What the child prints. */
export interface ChildResult {
  /** Wall time of every timed round, by client, in milliseconds. */
  readonly wallMs: Readonly<Record<string, readonly number[]>>;
  readonly maxRssMB: number;
}

function burst(lookup: (id: string) => Promise<unknown>, ids: readonly string[], calls: number): Promise<unknown> {
  return Promise.all(Array.from({ length: calls }, (_, i) => lookup(ids[i % ids.length])));
}

async function pool(lookup: (id: string) => Promise<unknown>, ids: readonly string[], calls: number, width: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < calls) await lookup(ids[next++ % ids.length]);
    }),
  );
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? "{}") as ChildJob;
  const local = job.serverInProcess ? await startScriptedServer() : undefined;
  local?.setLatency(job.serverInProcess?.latencyMs ?? 0);
  const settings = local ? { ...job.settings, endpoint: local.endpoint } : job.settings;
  const clients = job.clients.map((name) => {
    const make = CLIENTS[name];
    if (!make) throw new Error(`no client '${name}'`);
    return { name, client: make(settings) };
  });
  const once = async (c: (typeof clients)[number]): Promise<number> => {
    c.client.reset();
    const started = process.hrtime.bigint();
    const lookup = (id: string): Promise<unknown> => c.client.lookup(id);
    if (job.workload === "burst") await burst(lookup, job.ids, job.calls);
    else await pool(lookup, job.ids, job.calls, job.width ?? 8);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const wallMs: Record<string, number[]> = Object.fromEntries(job.clients.map((n) => [n, []]));
  if (job.mode === "cold") {
    for (const c of clients) wallMs[c.name]?.push(await once(c));
  } else {
    for (const c of clients) await once(c); // warm-up, not timed
    for (let round = 0; round < (job.rounds ?? 9); round++) {
      const order = round % 2 === 0 ? clients : [...clients].reverse();
      for (const c of order) wallMs[c.name]?.push(await once(c));
    }
  }
  const result: ChildResult = { wallMs, maxRssMB: process.resourceUsage().maxRSS / 1024 };
  await local?.close();
  process.stdout.write(JSON.stringify(result) + "\n");
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
