/**
 * A local JD Cloud describeImage API: a real HTTP server on loopback that checks
 * signatures, serves images by region, and injects faults on demand.
 */
import { randomBytes } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { API_VERSION_PATH, HEADER, KEY_PATTERN } from "../provider/jdcloud/constants";
import { verifyRequest } from "./auth";
import { builtinImages } from "./builtinImages";
import { describeImages } from "./describeImages";
import { Fault, FaultError, FaultPlan, FaultRule, parseLatency } from "./faults";
import { EmulatorImage, IMAGE_SHAPES, ImageShape, ImageStore } from "./store";
import { CreatedInstance, createInstances } from "./createInstances";

/** Options of {@link startEmulator}; every field is optional. */
export interface EmulatorOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  readonly host?: string;
  /** Port; default 0 (any free port). */
  readonly port?: number;
  /** Access key ID to accept. Default: a generated one. */
  readonly accessKey?: string;
  /** Its secret key. Default: a generated one. */
  readonly secretKey?: string;
  /** Images to serve, in the fixture shape. Default: the built-in set. */
  readonly images?: readonly EmulatorImage[];
  /** Faults in force from the start. */
  readonly faults?: readonly FaultRule[];
  /** Latency added to every answer, in milliseconds, at most `MAX_LATENCY_MS` (60000). Default 0. */
  readonly latencyMs?: number;
  /**
   * Which API's Image to answer with: `coc-vm` (default: `snapshots`, as `coc-vm.jdcloud-api.com`
   * documents describeImage) or `vm` (the public `vm.jdcloud-api.com`'s: `rootDeviceType`,
   * `systemDisk`, `dataDisks`, `osVersion`, `loginName`, `launchPermission`, ..., no `snapshots`).
   */
  readonly imageShape?: ImageShape;
  /** How many of the most recent requests `requests` keeps. Default {@link DEFAULT_REQUEST_LOG_LIMIT}. */
  readonly requestLogLimit?: number;
  /** Called once per request after it was answered (the bin logs with it). */
  readonly onRequest?: (record: RequestRecord) => void;
}

/** One request the emulator received. */
export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  /** The query string as sent, without `?` (cut to 2,000 characters); empty when there was none. */
  readonly query: string;
  readonly regionId?: string;
  readonly imageId?: string;
  /** The access key it was signed with, when the signature held. */
  readonly accessKey?: string;
  /** The status answered, or 0 when the connection was dropped. */
  readonly httpStatus: number;
  readonly requestId: string;
  /** Faults that hit it, by kind. */
  readonly faults: readonly Fault["kind"][];
  /** Its `x-jdcloud-nonce` and `x-jdcloud-date`, when sent. */
  readonly nonce?: string;
  readonly date?: string;
  /** When it arrived and when it was answered (ms since the epoch). */
  readonly at: number;
  readonly answeredAt: number;
}

/** A running emulator. */
export interface Emulator {
  /** `http://127.0.0.1:PORT`. */
  readonly endpoint: string;
  /** The accepted access key ID. */
  readonly accessKey: string;
  /** Its secret key. */
  readonly secretKey: string;
  /** The most recent requests (up to `requestLogLimit`), oldest first. */
  readonly requests: readonly RequestRecord[];
  /** Adds or replaces an image. */
  setImage(image: EmulatorImage): void;
  /** Changes fields of an image (e.g. `{status: "error"}`); false when there is none. */
  updateImage(regionId: string, imageId: string, patch: Partial<Omit<EmulatorImage, "regionId" | "imageId">>): boolean;
  /** Removes an image; false when there was none. */
  removeImage(regionId: string, imageId: string): boolean;
  /** The instances createInstances accepted, oldest first (the emulator creates nothing: it checks and records). */
  instances(): readonly CreatedInstance[];
  /** Every image served, with its region. */
  images(): EmulatorImage[];
  /** Injects a fault; returns a function that removes it. */
  inject(rule: FaultRule): () => void;
  /** Removes every injected fault. */
  clearFaults(): void;
  /** Sets the latency added to every answer (0 to `MAX_LATENCY_MS`; otherwise a `FaultError`). */
  setLatency(ms: number): void;
  /** Accepts another key pair (printable ASCII without spaces, as the client requires; otherwise a `TypeError`). */
  addKey(accessKey: string, secretKey: string): void;
  /** Forgets the request log. */
  resetRequests(): void;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

const IMAGE_PATH = new RegExp(`^${API_VERSION_PATH}/regions/([^/]+)/images/([^/]+)$`);
const IMAGES_PATH = new RegExp(`^${API_VERSION_PATH}/regions/([^/]+)/images$`);
const INSTANCES_PATH = new RegExp(`^${API_VERSION_PATH}/regions/([^/]+)/instances$`);

/** Generates a key pair in JD Cloud's format (32 upper-case hex characters each). */
export function generateKeyPair(): { accessKey: string; secretKey: string } {
  return {
    accessKey: randomBytes(16).toString("hex").toUpperCase(),
    secretKey: randomBytes(16).toString("hex").toUpperCase(),
  };
}

function newRequestId(): string {
  return randomBytes(16).toString("hex");
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How many requests the emulator's log keeps by default (the most recent). */
export const DEFAULT_REQUEST_LOG_LIMIT = 10_000;

/** Refuses an image shape the emulator does not know, naming the ones it does. */
function checkShape(shape: unknown): ImageShape {
  if (!(IMAGE_SHAPES as readonly unknown[]).includes(shape)) {
    throw new TypeError(
      `The emulator's imageShape must be ${IMAGE_SHAPES.map((s) => `'${s}'`).join(" or ")}, not ${JSON.stringify(shape)}`,
    );
  }
  return shape as ImageShape;
}

/** Refuses a key the client would refuse, naming which one without repeating it. */
function checkKey(name: string, value: string): string {
  if (typeof value !== "string" || !KEY_PATTERN.test(value)) {
    throw new TypeError(`The emulator's ${name} must be printable ASCII without spaces, as JD Cloud clients send it`);
  }
  return value;
}

/** The address a client should use: a wildcard listener is reached on loopback. */
function announcedHost(address: AddressInfo): string {
  if (address.family === "IPv6") return address.address === "::" ? "[::1]" : `[${address.address}]`;
  return address.address === "0.0.0.0" ? "127.0.0.1" : address.address;
}

/** The largest request body the emulator reads; describeImage has none. */
export const MAX_REQUEST_BODY_BYTES = 64 * 1024;

/** JD Cloud's error body: `{requestId, error: {code, status, message}}`. */
function errorBody(
  requestId: string,
  httpStatus: number,
  status: string,
  message: string,
): { requestId: string; error: { code: number; status: string; message: string } } {
  return { requestId, error: { code: httpStatus, status, message } };
}

/** Answers with a JD Cloud error body unless an answer has already started; closes the connection when asked. */
function failSafely(res: http.ServerResponse, httpStatus: number, status: string, message: string, close: boolean): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(errorBody(newRequestId(), httpStatus, status, message));
  res.writeHead(httpStatus, { "content-type": "application/json", ...(close ? { connection: "close" } : {}) });
  res.end(body);
}

/** Starts an emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const generated = generateKeyPair();
  const accessKey = checkKey("access key", options.accessKey ?? generated.accessKey);
  const secretKey = checkKey("secret key", options.secretKey ?? generated.secretKey);
  const logLimit = options.requestLogLimit ?? DEFAULT_REQUEST_LOG_LIMIT;
  if (!Number.isInteger(logLimit) || logLimit < 0)
    throw new FaultError(`requestLogLimit ${String(logLimit)} is not a whole number of 0 or more`);
  const keys = new Map<string, string>([[accessKey, secretKey]]);
  const store = new ImageStore(options.images ?? builtinImages(), checkShape(options.imageShape ?? "coc-vm"));
  const faults = new FaultPlan();
  for (const rule of options.faults ?? []) faults.add(rule);
  let latencyMs = parseLatency(options.latencyMs ?? 0);
  const serialized = new WeakMap<object, string>();
  let requests: RequestRecord[] = [];
  const created: CreatedInstance[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on("data", (c: Buffer) => {
      if (refused) return;
      size += c.length;
      // describeImage takes no body: keep at most a small one, refuse the rest unread.
      if (size > MAX_REQUEST_BODY_BYTES) {
        refused = true;
        chunks.length = 0;
        failSafely(res, 413, "REQUEST_ENTITY_TOO_LARGE", `Request body over ${MAX_REQUEST_BODY_BYTES} bytes`, true);
        return;
      }
      chunks.push(c);
    });
    req.on("error", () => undefined);
    req.on("end", () => {
      if (refused) return;
      handle(req, res, Buffer.concat(chunks).toString("utf8")).catch(() => {
        // A handler error is the emulator's bug, never the end of the emulator: answer as JD Cloud does.
        failSafely(res, 500, "INTERNAL", "Internal server error", false);
      });
    });
  });
  server.keepAliveTimeout = 65_000;
  // Bytes that are not HTTP (or headers past Node's limit) get a JD Cloud-shaped answer too.
  server.on("clientError", (err: NodeJS.ErrnoException, socket: import("node:stream").Duplex) => {
    if (!socket.writable || err.code === "ECONNRESET") return void socket.destroy();
    const tooLarge = err.code === "HPE_HEADER_OVERFLOW";
    const httpStatus = tooLarge ? 431 : 400;
    const body = JSON.stringify(
      errorBody(
        newRequestId(),
        httpStatus,
        tooLarge ? "REQUEST_HEADER_FIELDS_TOO_LARGE" : "INVALID_ARGUMENT",
        tooLarge ? "Request headers too large" : "Malformed HTTP request",
      ),
    );
    socket.end(
      `HTTP/1.1 ${httpStatus} ${tooLarge ? "Request Header Fields Too Large" : "Bad Request"}\r\ncontent-type: application/json\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    const requestId = newRequestId();
    const at = Date.now();
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const query = q < 0 ? "" : rawUrl.slice(q + 1);
    const list = IMAGES_PATH.exec(path);
    const create = INSTANCES_PATH.exec(path);
    const match = IMAGE_PATH.exec(path) ?? list ?? create;
    const regionId = match?.[1] ? safeDecode(match[1]) : undefined;
    const imageId = match?.[2] ? safeDecode(match[2]) : undefined;
    const target = { ...(regionId ? { regionId } : {}), ...(imageId ? { imageId } : {}) };
    let signedWith: string | undefined;
    const nonce = req.headers[HEADER.nonce];
    const date = req.headers[HEADER.date];
    const hit: Fault["kind"][] = [];

    const send = (httpStatus: number, payload: unknown, extra: Record<string, string> = {}): void => {
      sendText(httpStatus, JSON.stringify(payload), extra);
    };
    const sendText = (httpStatus: number, text: string, extra: Record<string, string> = {}): void => {
      res.writeHead(httpStatus, {
        "content-type": "application/json; charset=utf-8",
        "content-length": Buffer.byteLength(text),
        [HEADER.requestId]: requestId,
        ...extra,
      });
      res.end(text);
      record(httpStatus);
    };
    const sendError = (httpStatus: number, status: string, message: string, extra?: Record<string, string>): void =>
      send(httpStatus, errorBody(requestId, httpStatus, status, message), extra);
    const record = (httpStatus: number): void => {
      const entry: RequestRecord = {
        method: req.method ?? "GET",
        path,
        query: query.slice(0, 2000),
        ...target,
        ...(signedWith ? { accessKey: signedWith } : {}),
        httpStatus,
        requestId,
        faults: hit,
        ...(typeof nonce === "string" ? { nonce } : {}),
        ...(typeof date === "string" ? { date } : {}),
        at,
        answeredAt: Date.now(),
      };
      requests.push(entry);
      // Trimmed in batches, so a busy emulator copies its log once per eighth of the limit.
      if (requests.length > logLimit + (logLimit >> 3)) requests = requests.slice(requests.length - logLimit);
      options.onRequest?.(entry);
    };

    if (!match || !regionId || (!imageId && !list && !create)) return sendError(404, "NOT_FOUND", `Api not found: ${req.method} ${path}`);
    if (req.method !== (create ? "POST" : "GET"))
      return sendError(405, "METHOD_NOT_ALLOWED", `Method ${req.method} is not allowed on ${path}`);

    const auth = verifyRequest({ method: req.method, path, query, headers: req.headers, body }, keys, new Date());
    if (!auth.ok) return sendError(401, "ACCESS_ERROR", auth.message);
    signedWith = auth.accessKey;

    if (create) {
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        return sendError(400, "INVALID_ARGUMENT", "The request body is not JSON");
      }
      const answer = createInstances(json, regionId, (r, id) => store.full(r, id));
      if (!answer.ok) return sendError(answer.httpStatus, answer.status, answer.message);
      created.push(...answer.instances);
      return send(200, { requestId, result: { instanceIds: answer.instances.map((i) => i.instanceId) } });
    }

    const due = faults.take({ ...target, operation: list ? "describeImages" : "describeImage" });
    const delay = latencyMs + due.reduce((sum, f) => sum + (f.kind === "latency" ? f.ms : 0), 0);
    if (delay > 0) await sleep(delay);
    for (const fault of due) {
      hit.push(fault.kind);
      switch (fault.kind) {
        case "latency":
          continue;
        case "error":
          return sendError(
            fault.httpStatus,
            fault.status,
            fault.message ?? `${fault.status === "UNKNOWN" ? "Unknown" : "Internal"} server error`,
          );
        case "throttle":
          return sendError(429, "TOO_MANY_REQUESTS", "Request rate exceeded, slow down", {
            [HEADER.retryAfter]: String(fault.retryAfterSeconds),
          });
        case "drop":
          record(0);
          req.socket.destroy();
          return;
        case "truncate": {
          const image = imageId === undefined ? undefined : store.get(regionId, imageId);
          const text = JSON.stringify({ requestId, result: { image: image ?? {} } });
          res.writeHead(200, {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(text),
            [HEADER.requestId]: requestId,
          });
          res.write(text.slice(0, Math.floor(text.length / 2)));
          record(200);
          setImmediate(() => req.socket.destroy());
          return;
        }
        case "malformed":
          res.writeHead(fault.httpStatus, { "content-type": "text/html", [HEADER.requestId]: requestId });
          res.end(fault.body);
          record(fault.httpStatus);
          return;
      }
    }

    if (list || !imageId) {
      const answer = describeImages(store.inRegion(regionId), new URLSearchParams(query));
      if (!answer.ok) return sendError(400, answer.status, answer.message);
      // Each image is serialized once while it is unchanged: a page is a join of those texts.
      const images = answer.images.map((image) => {
        let text = serialized.get(image);
        if (text === undefined) serialized.set(image, (text = JSON.stringify(image)));
        return text;
      });
      return sendText(
        200,
        `{"requestId":${JSON.stringify(requestId)},"result":{"images":[${images.join(",")}],"totalCount":${answer.totalCount}}}`,
      );
    }
    const image = store.get(regionId, imageId);
    if (!image) return sendError(404, "NOT_FOUND", `Image '${imageId}' not found`);
    send(200, { requestId, result: { image } });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;

  return {
    endpoint: `http://${announcedHost(address)}:${address.port}`,
    accessKey,
    secretKey,
    get requests() {
      return requests.length > logLimit ? requests.slice(requests.length - logLimit) : requests;
    },
    setImage: (image) => store.set(image),
    updateImage: (regionId, imageId, patch) => store.update(regionId, imageId, patch),
    removeImage: (regionId, imageId) => store.remove(regionId, imageId),
    images: () => store.all(),
    instances: () => [...created],
    inject: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    setLatency: (ms) => {
      latencyMs = parseLatency(ms);
    },
    addKey: (ak, sk) => {
      keys.set(checkKey("access key", ak), checkKey("secret key", sk));
    },
    resetRequests: () => {
      requests = [];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
