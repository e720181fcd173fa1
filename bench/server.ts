/**
 * The timed server: answers describeImage from answers serialized beforehand, after an optional
 * latency, and checks no signatures — so what is timed is the clients, not the server. It counts
 * requests and the most it had in flight at once. (Signatures are checked by the tests, against
 * the emulator and the official SDKs.)
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** A running scripted server. */
export interface ScriptedServer {
  readonly endpoint: string;
  /** Requests since the last reset. */
  readonly requests: number;
  /** The most requests in flight at once since the last reset. */
  readonly peakInFlight: number;
  /** How long the latency timer actually held each request since the last reset (median, ms): never less than asked. */
  readonly heldMs: number;
  setLatency(ms: number): void;
  reset(): void;
  close(): Promise<void>;
}

/** An image in the API's shape, for a bench ID. */
export function benchImage(imageId: string): Record<string, unknown> {
  return {
    imageId,
    name: `bench ${imageId}`,
    platform: "Ubuntu",
    architecture: "x86_64",
    systemDiskSizeGB: 40,
    imageSource: "private",
    osType: "linux",
    status: "ready",
    createTime: "2026-11-01 00:00:00",
    desc: "",
    ownerPin: "bench",
    snapshots: [],
  };
}

/** Starts the server on loopback, answering 200 for every image ID under `/v1/regions/{region}/images/`. */
export async function startScriptedServer(): Promise<ScriptedServer> {
  const answers = new Map<string, Buffer>();
  let latency = 0;
  let requests = 0;
  let inFlight = 0;
  let peak = 0;
  let held: number[] = [];
  const server = http.createServer((req, res) => {
    requests++;
    peak = Math.max(peak, ++inFlight);
    const url = req.url ?? "";
    const imageId = url.slice(url.lastIndexOf("/") + 1);
    let body = answers.get(imageId);
    if (!body) {
      body = Buffer.from(JSON.stringify({ requestId: "0123456789abcdef0123456789abcdef", result: { image: benchImage(imageId) } }));
      answers.set(imageId, body);
    }
    const answer = body;
    const arrived = process.hrtime.bigint();
    const send = (): void => {
      if (latency > 0 && held.length < 100_000) held.push(Number(process.hrtime.bigint() - arrived) / 1e6);
      inFlight--;
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": answer.length,
        "x-jdcloud-request-id": "0123456789abcdef0123456789abcdef",
      });
      res.end(answer);
    };
    if (latency > 0) setTimeout(send, latency);
    else send();
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    get peakInFlight() {
      return peak;
    },
    get heldMs() {
      const sorted = [...held].sort((a, b) => a - b);
      return sorted.length === 0 ? 0 : (sorted[Math.floor(sorted.length / 2)] ?? 0);
    },
    setLatency: (ms) => {
      latency = ms;
    },
    reset: () => {
      requests = 0;
      peak = 0;
      held = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
