/**
 * describeImage: one validated, shared, bounded request per (endpoint, region,
 * image, credentials) in a process, its answer parsed and its errors typed.
 */
import { createHmac, randomBytes } from "node:crypto";
import { API_VERSION_PATH, MAX_IN_FLIGHT, isRetryableStatus } from "./constants";
import {
  AuthenticationError,
  ImageNotFoundError,
  InvalidResponseError,
  JdcloudApiError,
  LookupTarget,
  ThrottledError,
  serverText,
} from "./errors";
import { ApiImage, IMAGE_ID_PATTERN, Image, LEGACY_IMAGE_ID_PATTERN, readDescribeImageFast, readDescribeImagesFast, schemas } from "./wire";
import type { Settings } from "./settings";
import { encodePath, uriEscape } from "./signer";
import { deploymentMemory, registerState } from "./state";
import { RawResponse, TransportHooks, getWithRetries } from "./transport";

/** An image as read, with the request ID of the answer it came in. */
export interface DescribedImage {
  /** The image, with the region it was read from. */
  readonly image: Image;
  readonly requestId?: string;
}

/** Options of one describeImage call. */
export interface DescribeOptions {
  /** Ask JD Cloud even when this process already has the answer (refresh). Default false. */
  readonly fresh?: boolean;
  /** Test seams for clock, randomness and waiting. */
  readonly hooks?: TransportHooks;
}

/** Request IDs are 32 hex digits from JD Cloud; anything longer is cut to this. */
const REQUEST_ID_MAX = 64;
const PLAIN_REQUEST_ID = /^[A-Za-z0-9_-]{1,64}$/;

const CACHE_LIMIT = 1000;
const answers = deploymentMemory(
  {
    name: "client: shared answers",
    holds: "a describeImage answer (as a promise) per endpoint, region, image and credentials fingerprint",
    bound: `${CACHE_LIMIT} answers, oldest dropped first; a failure is forgotten as it happens; ImageLookup's refresh asks afresh`,
    size: (memory) => memory.size,
  },
  () => new Map<string, Promise<DescribedImage>>(),
);

export { clearImageCache } from "./state";

// Credentials enter the sharing key as an HMAC under a key that never leaves this process: a wrong
// secret key is never answered from a lookup made with the right one, and no key holds a secret.
const FINGERPRINT_KEY = randomBytes(32);
// One fingerprint per settings object; the same credentials from the same sources resolve to the
// same settings object (see settings' resolved settings), so lookups in later turns reuse it.
const fingerprints = new WeakMap<Settings, string>();
registerState({
  name: "client: credential fingerprints",
  holds: "an HMAC of access key, secret key and token under a per-process key, by settings object",
  bound: "one per live settings object (a WeakMap)",
  lifetime: "as long as its settings object",
  size: () => undefined,
  // A pure function's results under a key made once per process: nothing to forget.
  reset: () => undefined,
});

/** A keyed fingerprint of the credentials in `settings` (never the secret itself), for sharing keys. */
export function credentialsFingerprint(settings: Settings): string {
  const known = fingerprints.get(settings);
  if (known !== undefined) return known;
  const print = createHmac("sha256", FINGERPRINT_KEY)
    .update(`${settings.accessKey}\n${settings.secretKey}\n${settings.securityToken ?? ""}`)
    .digest("base64");
  fingerprints.set(settings, print);
  return print;
}

/**
 * Reads one image. `regionId` and `imageId` must already be validated. Concurrent
 * and repeated calls for the same key share one request; a failure is not remembered.
 */
export function describeImage(
  settings: Settings,
  regionId: string,
  imageId: string,
  options: DescribeOptions = {},
): Promise<DescribedImage> {
  const key = `${settings.endpoint}\n${regionId}\n${imageId}\n${credentialsFingerprint(settings)}`;
  const shared = answers();
  if (!options.fresh) {
    const hit = shared.get(key);
    if (hit) return hit;
  }
  // A failure is forgotten as it happens, so the next call asks again.
  const forget = (err: unknown): never => {
    if (shared.get(key) === pending) shared.delete(key);
    throw err;
  };
  const target = { regionId, imageId };
  const path = `${API_VERSION_PATH}/regions/${encodePath(regionId)}/images/${encodePath(imageId)}`;
  const pending: Promise<DescribedImage> = getWithRetries(
    settings,
    { path, regionId, target },
    options.hooks,
    gateOf(settings.endpoint),
  ).then((response) => {
    try {
      return interpret(response, target, settings);
    } catch (err) {
      return forget(err);
    }
  }, forget);
  if (shared.size >= CACHE_LIMIT) {
    const oldest = shared.keys().next().value;
    if (oldest !== undefined) shared.delete(oldest);
  }
  shared.set(key, pending);
  return pending;
}

/**
 * An answer's body as JSON (when it is), and its request ID — from the body, else the header — cut
 * and cleaned like everything the server says before it reaches an error (a plain ID as it is).
 */
function readAnswer(response: RawResponse): { json: unknown; parsedJson: boolean; requestId: string | undefined } {
  let json: unknown;
  let parsedJson = true;
  try {
    json = JSON.parse(response.body);
  } catch {
    parsedJson = false;
  }
  const fromBody = parsedJson && typeof json === "object" && json !== null ? (json as { requestId?: unknown }).requestId : undefined;
  const raw = typeof fromBody === "string" ? fromBody : response.requestId;
  const requestId = raw === undefined || raw === "" ? undefined : PLAIN_REQUEST_ID.test(raw) ? raw : serverText(raw, REQUEST_ID_MAX);
  return { json, parsedJson, requestId };
}

/** An image just read (a fresh object of ours) with its region added, and the answer's request ID. */
function described(image: ApiImage, regionId: string, requestId: string | undefined): DescribedImage {
  (image as { regionId?: string }).regionId = regionId;
  return requestId ? { image: image as Image, requestId } : { image: image as Image };
}

/** Turns a raw answer into an image or the right error. */
export function interpret(
  response: RawResponse,
  target: LookupTarget & { readonly regionId: string },
  settings?: Pick<Settings, "origins">,
): DescribedImage {
  const { json, parsedJson, requestId } = readAnswer(response);
  if (response.httpStatus >= 200 && response.httpStatus < 300) {
    const fast = parsedJson ? readDescribeImageFast(json) : undefined;
    // The hot path: a well-formed answer for the image asked.
    if (fast && fast.result.image.imageId === target.imageId) return described(fast.result.image, target.regionId, requestId);
  }
  const withId = { ...target, ...(requestId ? { requestId } : {}) };

  if (response.httpStatus >= 200 && response.httpStatus < 300) {
    if (!parsedJson) throw new InvalidResponseError(withId, response.httpStatus, "(body)", "is not JSON");
    const parsed = schemas().DescribeImageResponseSchema.safeParse(json);
    if (!parsed.success) {
      const issue = schemas().describeIssue(parsed.error);
      throw new InvalidResponseError(withId, response.httpStatus, serverText(issue.path, 120), serverText(issue.message.toLowerCase()));
    }
    if (parsed.data.result.image.imageId !== target.imageId) {
      throw new InvalidResponseError(
        withId,
        response.httpStatus,
        "result.image.imageId",
        `is '${serverText(parsed.data.result.image.imageId, 80)}', not the image asked for`,
      );
    }
    return described(parsed.data.result.image, target.regionId, requestId);
  }

  throw errorOf(response, parsedJson ? json : undefined, withId, settings);
}

/** The error for a JD Cloud answer that is not a success, typed by its status. */
function errorOf(
  response: RawResponse,
  json: unknown,
  withId: LookupTarget & { requestId?: string },
  settings?: Pick<Settings, "origins">,
  operation?: string,
): JdcloudApiError {
  const errorBody = json === undefined ? undefined : schemas().ErrorBodySchema.safeParse(json);
  const apiError = errorBody?.success ? errorBody.data.error : undefined;
  const details = {
    ...withId,
    ...(operation ? { operation } : {}),
    httpStatus: response.httpStatus,
    retryable: isRetryableStatus(response.httpStatus),
    ...(apiError?.status ? { status: serverText(apiError.status, 64) } : {}),
    ...(apiError?.message ? { apiMessage: serverText(apiError.message) } : {}),
    ...(response.retryAfterSeconds !== undefined ? { retryAfterSeconds: response.retryAfterSeconds } : {}),
  };
  if (response.httpStatus === 404 && apiError?.status === "NOT_FOUND" && !operation) return new ImageNotFoundError(details);
  if (response.httpStatus === 401 || response.httpStatus === 403) return new AuthenticationError(details, settings?.origins.accessKey);
  if (response.httpStatus === 429) return new ThrottledError(details);
  return new JdcloudApiError(details);
}

/** One page of describeImages: the images, how many match in all, and the answer's request ID. */
export interface ImagesPage {
  readonly images: readonly ApiImage[];
  readonly totalCount: number;
  readonly requestId?: string;
}

/** The largest describeImages page read, in bytes: 100 images of a few KB each, with room to spare. */
export const MAX_PAGE_BYTES = 2 * 1024 * 1024;

/**
 * Reads one page of describeImages (`query` as name → value; lists already as `ids.1`, `ids.2`).
 * Not shared between callers (a search shares whole scans); bounded per endpoint like describeImage.
 * Every image ID in it is checked against the ID pattern before it is returned. `signal` stops it
 * (a scan whose other page failed).
 */
export function describeImagesPage(
  settings: Settings,
  regionId: string,
  query: Readonly<Record<string, string>>,
  hooks?: TransportHooks,
  signal?: AbortSignal,
): Promise<ImagesPage> {
  const target = { regionId };
  const path = `${API_VERSION_PATH}/regions/${encodePath(regionId)}/images`;
  const encoded = Object.entries(query)
    .map(([name, value]) => `${uriEscape(name)}=${uriEscape(value)}`)
    .join("&");
  const control = signal ? { ...gateOf(settings.endpoint), signal } : gateOf(settings.endpoint);
  return getWithRetries(settings, { path, query: encoded, regionId, target, maxBytes: MAX_PAGE_BYTES }, hooks, control).then((response) =>
    readImagesPage(response, target, settings),
  );
}

function readImagesPage(response: RawResponse, target: { readonly regionId: string }, settings: Settings): ImagesPage {
  const { json, parsedJson, requestId } = readAnswer(response);
  const withId = { ...target, ...(requestId ? { requestId } : {}) };
  if (response.httpStatus < 200 || response.httpStatus >= 300)
    throw errorOf(response, parsedJson ? json : undefined, withId, settings, "describeImages");
  if (!parsedJson) throw new InvalidResponseError(withId, response.httpStatus, "(body)", "is not JSON", "describeImages");
  let page: { images: ApiImage[]; totalCount: number };
  const fast = readDescribeImagesFast(json);
  if (fast) page = fast.result;
  else {
    const parsed = schemas().DescribeImagesResponseSchema.safeParse(json);
    if (!parsed.success) {
      const issue = schemas().describeIssue(parsed.error);
      throw new InvalidResponseError(
        withId,
        response.httpStatus,
        serverText(issue.path, 120),
        serverText(issue.message.toLowerCase()),
        "describeImages",
      );
    }
    page = parsed.data.result;
  }
  // An ID goes into a path of ours (refresh), into state (a pin) and into messages: only a real one.
  page.images.forEach((image, i) => {
    if (!IMAGE_ID_PATTERN.test(image.imageId) && !LEGACY_IMAGE_ID_PATTERN.test(image.imageId)) {
      throw new InvalidResponseError(
        withId,
        response.httpStatus,
        `result.images[${i}].imageId`,
        `is '${serverText(image.imageId, 80)}', not an image ID ('img-' and lowercase letters and digits)`,
        "describeImages",
      );
    }
  });
  return { images: page.images, totalCount: page.totalCount, ...(requestId ? { requestId } : {}) };
}

/** The in-flight bound of an endpoint, as a request's per-attempt gate (one object per endpoint, made once). */
function gateOf(endpoint: string): { gate: <T>(attempt: () => Promise<T>) => Promise<T> } {
  let control = gates.get(endpoint);
  if (control === undefined) {
    if (gates.size >= GATES_LIMIT) gates.clear();
    gates.set(endpoint, (control = { gate: (attempt) => limiterOf(endpoint).run(attempt) }));
  }
  return control;
}
// A gate holds only its endpoint's name (the limiter itself is looked up per attempt): a pure cache.
const GATES_LIMIT = 64;
const gates = new Map<string, { gate: <T>(attempt: () => Promise<T>) => Promise<T> }>();
registerState({
  name: "client: endpoint gates",
  holds: "a function that runs an attempt within its endpoint's in-flight bound, by endpoint",
  bound: `${GATES_LIMIT} endpoints, then cleared`,
  lifetime: "the process (a pure function's results)",
  size: () => gates.size,
  reset: () => gates.clear(),
});

/**
 * At most MAX_IN_FLIGHT requests to one endpoint at a time; requests to other endpoints do not
 * wait behind them. A slot goes straight from a finished task to the next waiter.
 */
class Limiter {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly onIdle: () => void) {}

  /** Runs `task` when fewer than MAX_IN_FLIGHT of this endpoint's requests are under way. */
  run<T>(task: () => Promise<T>): Promise<T> {
    if (this.inFlight < MAX_IN_FLIGHT) {
      this.inFlight++;
      return this.hold(task);
    }
    return new Promise<void>((resolve) => this.waiting.push(resolve)).then(() => this.hold(task));
  }

  private hold<T>(task: () => Promise<T>): Promise<T> {
    const release = (): void => {
      const next = this.waiting.shift();
      if (next) return next();
      this.inFlight--;
      if (this.inFlight === 0) this.onIdle();
    };
    let started: Promise<T>;
    try {
      started = task();
    } catch (err) {
      release();
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return started.then(
      (value) => {
        release();
        return value;
      },
      (err: unknown) => {
        release();
        throw err;
      },
    );
  }
}

// One limiter per endpoint while it has requests under way; an idle one is dropped, so the map
// holds only endpoints in use.
const limiters = new Map<string, Limiter>();
registerState({
  name: "client: in-flight limiters",
  holds: `a count of requests in flight (at most ${MAX_IN_FLIGHT}) and the lookups waiting, per endpoint`,
  bound: "one per endpoint with requests under way",
  lifetime: "while the endpoint has requests in flight or waiting; dropped when idle",
  size: () => limiters.size,
  reset: () => undefined, // Never dropped while busy: a request under way must release its slot.
});

function limiterOf(endpoint: string): Limiter {
  let limiter = limiters.get(endpoint);
  if (!limiter) {
    const created: Limiter = new Limiter(() => {
      if (limiters.get(endpoint) === created) limiters.delete(endpoint);
    });
    limiters.set(endpoint, created);
    limiter = created;
  }
  return limiter;
}
