/**
 * The clients the benchmarks compare, each reading one image by ID: ours (getImage), the
 * official jdcloud-sdk-js VM client, and the lean floor — a minimal signed client on Node's http
 * with a keep-alive agent and a cached signing key, no retries, no validation beyond JSON.parse.
 */
import * as http from "node:http";
import { randomUUID } from "node:crypto";
import * as path from "node:path";
import { officialVmClient } from "../test/support/officialSdk";

const ROOT = path.resolve(__dirname, "..");

/** What every benchmarked client is given. */
export interface BenchSettings {
  readonly endpoint: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly region: string;
}

/** A client under benchmark: one lookup by ID, and a way to forget what it remembers. */
export interface BenchClient {
  lookup(imageId: string): Promise<unknown>;
  reset(): void;
}

/** The package as built in dist/ (what users import), not the sources. */
function dist<T>(p: string): T {
  return require(path.join(ROOT, "dist", p)) as T;
}

/**
 * A module of dist/ loaded afresh: its own function instances, so a client using it does not
 * share the JIT's type feedback (inline caches) with ours in the same process.
 */
function fresh<T>(p: string): T {
  const file = require.resolve(path.join(ROOT, "dist", p));
  const cached = require.cache[file];
  delete require.cache[file];
  try {
    return require(file) as T;
  } finally {
    if (cached) require.cache[file] = cached;
    else delete require.cache[file];
  }
}

/** Our client: the package's public getImage. */
export function ours(settings: BenchSettings): BenchClient {
  const { getImage, clearImageCache } = dist<typeof import("../sdk/nodejs")>("sdk/nodejs");
  const opts = { endpoint: settings.endpoint, accessKey: settings.accessKey, secretKey: settings.secretKey, region: settings.region };
  return { lookup: (imageId) => getImage({ imageId }, opts), reset: clearImageCache };
}

/** The official SDK's VM client. */
export function official(settings: BenchSettings): BenchClient {
  const vm = officialVmClient(settings.endpoint, settings.accessKey, settings.secretKey, settings.region);
  return { lookup: (imageId) => vm.describeImage({ imageId }, settings.region).then((r) => r.result.image), reset: () => undefined };
}

/** The floor: sign (with the same signer), GET over a keep-alive agent, JSON.parse. */
export function floor(settings: BenchSettings): BenchClient {
  const { signRequest } = fresh<typeof import("../provider/jdcloud/signer")>("provider/jdcloud/signer");
  const agent = new http.Agent({ keepAlive: true });
  const url = new URL(settings.endpoint);
  const lookup = (imageId: string): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const p = `/v1/regions/${settings.region}/images/${imageId}`;
      const headers = signRequest(
        { method: "GET", path: p, headers: { host: url.host, accept: "application/json", "content-type": "application/json" } },
        settings,
        { region: settings.region, service: "vm", date: new Date(), nonce: randomUUID() },
      );
      const req = http.request({ host: url.hostname, port: url.port, path: p, method: "GET", headers, agent }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () =>
          res.statusCode === 200
            ? resolve((JSON.parse(body) as { result: { image: unknown } }).result.image)
            : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      });
      req.on("error", reject);
      req.end();
    });
  return { lookup, reset: () => undefined };
}

/**
 * The floor for a burst of repeated lookups: the lean floor plus the two things such a burst
 * needs to send only one request per image at most 8 at a time — a map of promises by image ID
 * and a queue. What a cold process pays for 50 requests whatever the client (connections, cold
 * code, the process's own garbage collections) shows here as well as in ours.
 */
export function floorShared(settings: BenchSettings, inFlight = 8): BenchClient {
  const lean = floor(settings);
  const answers = new Map<string, Promise<unknown>>();
  const waiting: Array<() => void> = [];
  let running = 0;
  const limited = (imageId: string): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const start = (): void => {
        running++;
        lean.lookup(imageId).then(
          (image) => {
            running--;
            waiting.shift()?.();
            resolve(image);
          },
          (err: unknown) => {
            running--;
            waiting.shift()?.();
            reject(err instanceof Error ? err : new Error(String(err)));
          },
        );
      };
      if (running < inFlight) start();
      else waiting.push(start);
    });
  const lookup = (imageId: string): Promise<unknown> => {
    let answer = answers.get(imageId);
    if (!answer) answers.set(imageId, (answer = limited(imageId)));
    return answer;
  };
  return { lookup, reset: () => answers.clear() };
}

/** The clients by name, for the child processes of run 1. */
export const CLIENTS: Readonly<Record<string, (settings: BenchSettings) => BenchClient>> = { ours, official, floor, floorShared };
