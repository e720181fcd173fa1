/**
 * describeImage: one validated, shared, bounded request per (endpoint, region,
 * image, access key) in a process, its answer parsed and its errors typed.
 */
import { API_VERSION_PATH, MAX_IN_FLIGHT } from "./constants";
import {
  AuthenticationError,
  ImageNotFoundError,
  InvalidResponseError,
  JdcloudApiError,
  LookupTarget,
  ThrottledError,
} from "./errors";
import { ApiImage, DescribeImageResponseSchema, ErrorBodySchema, describeIssue } from "./schemas";
import type { Settings } from "./settings";
import { encodePath } from "./signer";
import { RawResponse, TransportHooks, getWithRetries } from "./transport";

/** An image as read, with the request ID of the answer it came in. */
export interface DescribedImage {
  readonly image: ApiImage;
  readonly requestId?: string;
}

/** Options of one describeImage call. */
export interface DescribeOptions {
  /** Ask JD Cloud even when this process already has the answer (refresh). Default false. */
  readonly fresh?: boolean;
  /** Test seams for clock, randomness and waiting. */
  readonly hooks?: TransportHooks;
}

const CACHE_LIMIT = 1000;
const shared = new Map<string, Promise<DescribedImage>>();

/** Forgets every remembered answer (tests, long-running processes). */
export function clearImageCache(): void {
  shared.clear();
}

/**
 * Reads one image. `regionId` and `imageId` must already be validated. Concurrent
 * and repeated calls for the same key share one request; a failure is not remembered.
 */
export function describeImage(settings: Settings, regionId: string, imageId: string, options: DescribeOptions = {}): Promise<DescribedImage> {
  const key = [settings.endpoint, regionId, imageId, settings.accessKey].join("\n");
  if (!options.fresh) {
    const hit = shared.get(key);
    if (hit) return hit;
  }
  // A failure is forgotten as it happens, so the next call asks again.
  const pending: Promise<DescribedImage> = limit(() => fetchImage(settings, regionId, imageId, options.hooks)).then(
    undefined,
    (err: unknown) => {
      if (shared.get(key) === pending) shared.delete(key);
      throw err;
    },
  );
  if (shared.size >= CACHE_LIMIT) {
    const oldest = shared.keys().next().value;
    if (oldest !== undefined) shared.delete(oldest);
  }
  shared.set(key, pending);
  return pending;
}

function fetchImage(settings: Settings, regionId: string, imageId: string, hooks?: TransportHooks): Promise<DescribedImage> {
  const target: LookupTarget = { regionId, imageId };
  const path = `${API_VERSION_PATH}/regions/${encodePath(regionId)}/images/${encodePath(imageId)}`;
  return getWithRetries(settings, { path, regionId, target }, hooks).then((response) => interpret(response, target, settings));
}

/** Turns a raw answer into an image or the right error. */
export function interpret(response: RawResponse, target: LookupTarget, settings?: Pick<Settings, "origins">): DescribedImage {
  let json: unknown;
  let parsedJson = true;
  try {
    json = JSON.parse(response.body);
  } catch {
    parsedJson = false;
  }
  const bodyRequestId =
    parsedJson && typeof json === "object" && json !== null && typeof (json as { requestId?: unknown }).requestId === "string"
      ? (json as { requestId: string }).requestId
      : undefined;
  const requestId = bodyRequestId ?? response.requestId;
  const withId = { ...target, ...(requestId ? { requestId } : {}) };

  if (response.httpStatus >= 200 && response.httpStatus < 300) {
    if (!parsedJson) throw new InvalidResponseError(withId, response.httpStatus, "(body)", "is not JSON");
    const parsed = DescribeImageResponseSchema.safeParse(json);
    if (!parsed.success) {
      const issue = describeIssue(parsed.error);
      throw new InvalidResponseError(withId, response.httpStatus, issue.path, issue.message.toLowerCase());
    }
    if (parsed.data.result.image.imageId !== target.imageId) {
      throw new InvalidResponseError(
        withId,
        response.httpStatus,
        "result.image.imageId",
        `is '${parsed.data.result.image.imageId}', not the image asked for`,
      );
    }
    return { image: parsed.data.result.image, ...(requestId ? { requestId } : {}) };
  }

  const errorBody = parsedJson ? ErrorBodySchema.safeParse(json) : undefined;
  const apiError = errorBody?.success ? errorBody.data.error : undefined;
  const details = {
    ...withId,
    httpStatus: response.httpStatus,
    retryable: response.httpStatus === 429 || response.httpStatus >= 500,
    ...(apiError?.status ? { status: apiError.status } : {}),
    ...(apiError?.message ? { apiMessage: apiError.message } : {}),
    ...(response.retryAfterSeconds !== undefined ? { retryAfterSeconds: response.retryAfterSeconds } : {}),
  };
  if (response.httpStatus === 404 && apiError?.status === "NOT_FOUND") throw new ImageNotFoundError(details);
  if (response.httpStatus === 401 || response.httpStatus === 403) {
    throw new AuthenticationError(details, settings?.origins.accessKey);
  }
  if (response.httpStatus === 429) throw new ThrottledError(details);
  throw new JdcloudApiError(details);
}

let inFlight = 0;
const waiting: Array<() => void> = [];

/** Runs `task` when fewer than MAX_IN_FLIGHT requests are under way. */
function limit<T>(task: () => Promise<T>): Promise<T> {
  if (inFlight < MAX_IN_FLIGHT) {
    inFlight++;
    return run(task);
  }
  return new Promise<void>((resolve) => waiting.push(resolve)).then(() => run(task));
}

/** Runs a task holding a slot; when it ends, the slot goes straight to the next waiter, so the count never overshoots. */
function run<T>(task: () => Promise<T>): Promise<T> {
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else inFlight--;
  };
  let started: Promise<T>;
  try {
    started = task();
  } catch (err) {
    release();
    return Promise.reject(err);
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
