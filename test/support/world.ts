/** A fresh emulator per test, and lookup options pointed at it. */
import { clearImageCache } from "../../provider/jdcloud/client";
import type { LookupOptions } from "../../provider/jdcloud/settings";
import { Emulator, EmulatorOptions, startEmulator } from "../../emulator/server";

/** Starts an emulator before each test and closes it after; clears the lookup cache. */
export function withEmulator(options: EmulatorOptions = {}): { readonly emulator: Emulator; opts(extra?: LookupOptions): LookupOptions } {
  let current: Emulator | undefined;
  beforeEach(async () => {
    clearImageCache();
    current = await startEmulator(options);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    get emulator(): Emulator {
      if (!current) throw new Error("the emulator runs only inside a test");
      return current;
    },
    opts(extra: LookupOptions = {}): LookupOptions {
      if (!current) throw new Error("the emulator runs only inside a test");
      return { endpoint: current.endpoint, accessKey: current.accessKey, secretKey: current.secretKey, region: "cn-north-1", ...extra };
    },
  };
}

/**
 * Points the process environment (`JDCLOUD_*`) at the emulator before each test, and restores it
 * after: the dynamic providers read their settings from the environment (and stack config) as the
 * provider host does.
 */
export function emulatorEnvironment(world: ReturnType<typeof withEmulator>, extra: Record<string, string> = {}): void {
  const saved = process.env;
  beforeEach(() => {
    process.env = {
      ...saved,
      JDCLOUD_ENDPOINT: world.emulator.endpoint,
      JDCLOUD_ACCESS_KEY: world.emulator.accessKey,
      JDCLOUD_SECRET_KEY: world.emulator.secretKey,
      ...extra,
    };
  });
  afterEach(() => {
    process.env = saved;
  });
}

/** Runs `fn` and returns what it threw (failing when it did not throw). */
export async function thrown(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof Error) return err;
    throw new Error(`threw a non-Error: ${String(err)}`, { cause: err });
  }
  throw new Error("expected a rejection, but it resolved");
}

/** The largest number of requests the emulator was serving at once. */
export function peakConcurrency(emulator: Emulator): number {
  const events = emulator.requests.flatMap((r) => [
    { t: r.at, d: 1 },
    { t: r.answeredAt, d: -1 },
  ]);
  events.sort((a, b) => a.t - b.t || a.d - b.d);
  let now = 0;
  let peak = 0;
  for (const e of events) {
    now += e.d;
    peak = Math.max(peak, now);
  }
  return peak;
}
