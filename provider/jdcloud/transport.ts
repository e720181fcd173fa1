/**
 * The one place requests go out: sign, send over a keep-alive connection, time
 * out each attempt, retry 429/5xx/network failures with exponential backoff and
 * full jitter (or `Retry-After` when given), signing every attempt afresh.
 */
import * as http from "node:http";
import * as https from "node:https";
import { randomUUID } from "node:crypto";
import {
  CERTIFICATE_ERROR_CODES,
  HEADER,
  MAX_RESPONSE_BYTES,
  RETRY_AFTER_LIMIT_MS,
  RETRY_BASE_DELAY_MS,
  RETRY_MAX_DELAY_MS,
  USER_AGENT,
  isRetryableStatus,
} from "./constants";
import { CertificateError, InvalidResponseError, LookupTarget, NetworkError, serverText } from "./errors";
import type { Settings } from "./settings";
import { signRequest } from "./signer";
import { debug } from "./log";
import { registerState } from "./state";

/** A GET to send: the path is already encoded, the region goes into the signature scope. */
export interface SignedGet {
  readonly path: string;
  /** The query string without `?`, already percent-encoded; signed and sent as given. */
  readonly query?: string;
  readonly regionId: string;
  readonly target: LookupTarget;
  /** The largest answer read, in bytes. Default {@link MAX_RESPONSE_BYTES}. */
  readonly maxBytes?: number;
}

/** How a request shares its endpoint, and when it stops. */
export interface RequestControl {
  /**
   * Runs one attempt when the endpoint has a free slot (the client's in-flight bound). A slot is
   * held for one attempt, never while waiting to retry: a request sleeping out a `Retry-After`
   * does not hold up others.
   */
  readonly gate?: <T>(attempt: () => Promise<T>) => Promise<T>;
  /** Once aborted, no attempt is sent or retried, and one under way is cut off (a failed scan's other pages). */
  readonly signal?: AbortSignal;
}

/** The request was stopped by its caller (see {@link RequestControl.signal}); nobody is told but the caller. */
export class RequestAborted extends Error {
  constructor() {
    super("the request was stopped: another part of the same operation failed");
    this.name = "RequestAborted";
  }
}

/** The last answer after retries: status, the headers we use, and the body text. */
export interface RawResponse {
  readonly httpStatus: number;
  readonly requestId?: string;
  readonly retryAfterSeconds?: number;
  readonly body: string;
  readonly attempts: number;
}

/** Clock, randomness and waiting, replaceable in tests; real ones by default. */
export interface TransportHooks {
  readonly now?: () => Date;
  readonly random?: () => number;
  readonly nonce?: () => string;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called before each attempt with its number (1-based). */
  readonly onAttempt?: (attempt: number) => void;
}

// Keep-alive connections, shared by every lookup in the process.
const agents = {
  http: new http.Agent({ keepAlive: true, keepAliveMsecs: 10_000 }),
  https: new https.Agent({ keepAlive: true, keepAliveMsecs: 10_000 }),
};

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The attempt ran out of time; the request was destroyed. */
class AttemptTimeout extends Error {
  readonly code = "ETIMEDOUT";
}

/** An answer larger than its cap: aborted, never retried. */
class AnswerTooLarge extends Error {
  constructor(
    readonly httpStatus: number,
    readonly requestId: string | undefined,
    maxBytes: number,
  ) {
    super(`is larger than ${maxBytes} bytes; the answer was not read further`);
  }
}

/** A body that ended before its length: the connection dropped mid-answer. */
class TruncatedBody extends Error {
  readonly code = "ECONNRESET";
}

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** Where an endpoint's requests go, parsed once per endpoint. */
interface Target {
  readonly secure: boolean;
  readonly hostname: string;
  readonly port: string;
  readonly host: string;
  /** The headers every request to it sends and signs, before date, nonce and token. */
  readonly baseHeaders: Readonly<Record<string, string>>;
}
const targets = new Map<string, Target>();
const TARGETS_LIMIT = 64;
const JSON_TYPE = "application/json";
registerState({
  name: "transport: parsed endpoints",
  holds: "an endpoint's host, port, scheme and the headers every request to it signs",
  bound: `${TARGETS_LIMIT} endpoints, then cleared`,
  lifetime: "the process",
  size: () => targets.size,
  reset: () => targets.clear(),
});

function targetOf(endpoint: string): Target {
  let target = targets.get(endpoint);
  if (!target) {
    const url = new URL(endpoint);
    // URL keeps an IPv6 literal in brackets (`[::1]`); the socket wants the bare address.
    const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
    const baseHeaders = Object.freeze({ [HEADER.host]: url.host, [HEADER.accept]: JSON_TYPE, [HEADER.contentType]: JSON_TYPE });
    target = { secure: url.protocol === "https:", hostname, port: url.port, host: url.host, baseHeaders };
    if (targets.size >= TARGETS_LIMIT) targets.clear();
    targets.set(endpoint, target);
  }
  return target;
}

/** One attempt on Node's own HTTP client (leaner per lookup than fetch's Headers, streams and AbortSignal). */
function attemptOnce(
  target: Target,
  path: string,
  headers: Record<string, string>,
  timeoutMs: number,
  maxBytes: number,
  signal: AbortSignal | undefined,
  onStaleSocket = true,
): Promise<Answer> {
  const secure = target.secure;
  return new Promise((resolve, reject) => {
    let answered = false;
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", stop);
      reject(error);
    };
    const stop = (): void => {
      req.destroy(new RequestAborted());
    };
    const req = (secure ? https : http).request(
      {
        protocol: secure ? "https:" : "http:",
        hostname: target.hostname,
        port: target.port,
        // Exactly the path that was signed, not a re-serialization of it.
        path,
        method: "GET",
        headers,
        agent: secure ? agents.https : agents.http,
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            const id = res.headers[HEADER.requestId];
            fail(new AnswerTooLarge(res.statusCode ?? 0, Array.isArray(id) ? id[0] : id, maxBytes));
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on("error", fail);
        res.on("end", () => {
          if (!res.complete) return fail(new TruncatedBody("the connection closed before the whole answer arrived"));
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          signal?.removeEventListener("abort", stop);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: chunks.length === 1 ? chunks[0].toString("utf8") : Buffer.concat(chunks).toString("utf8"),
          });
        });
        res.on("close", () => {
          if (!res.complete) fail(new TruncatedBody("the connection closed before the whole answer arrived"));
        });
      },
    );
    const timer = setTimeout(() => req.destroy(new AttemptTimeout(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on("error", (error: NodeJS.ErrnoException) => {
      // A kept-alive connection the server closed while it sat idle: the request never reached
      // the server, so it goes again once on a new connection without counting as an attempt.
      if (onStaleSocket && req.reusedSocket && !answered && !settled && (error.code === "ECONNRESET" || error.code === "EPIPE")) {
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", stop);
        resolve(attemptOnce(target, path, headers, timeoutMs, maxBytes, signal, false));
        return;
      }
      fail(error);
    });
    signal?.addEventListener("abort", stop, { once: true });
    req.end();
  });
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Sends a signed GET with retries; resolves with the final answer or throws `NetworkError`. Each
 * attempt is signed afresh when it gets its slot (`control.gate`), and holds the slot only while it
 * is under way; an aborted `control.signal` stops it with {@link RequestAborted}.
 */
export function getWithRetries(
  settings: Settings,
  request: SignedGet,
  hooks: TransportHooks = {},
  control: RequestControl = {},
): Promise<RawResponse> {
  const target = targetOf(settings.endpoint);
  const { gate, signal } = control;
  const fullPath = request.query ? `${request.path}?${request.query}` : request.path;
  const maxBytes = request.maxBytes ?? MAX_RESPONSE_BYTES;
  const send = (n: number): Promise<Answer> => {
    if (signal?.aborted) return Promise.reject(new RequestAborted());
    hooks.onAttempt?.(n);
    const headers = signRequest(
      { method: "GET", path: request.path, ...(request.query ? { query: request.query } : {}), headers: target.baseHeaders },
      settings,
      {
        region: request.regionId,
        service: settings.signingService,
        date: hooks.now?.() ?? new Date(),
        nonce: hooks.nonce?.() ?? randomUUID(),
      },
    );
    headers[HEADER.userAgent] = USER_AGENT;
    return attemptOnce(target, fullPath, headers, settings.timeoutMs, maxBytes, signal);
  };
  // Written as a chain, not an async loop: the first attempt is the hot path of every lookup.
  const attempt = (n: number): Promise<RawResponse> =>
    (gate ? gate(() => send(n)) : send(n)).then(
      (answer) => {
        const response = toResponse(answer, n, hooks);
        debug(
          () =>
            `GET ${request.path} at ${settings.endpoint}: ${response.httpStatus}, JD Cloud request ${response.requestId ?? "(none)"}, attempt ${n}`,
        );
        if (!isRetryableStatus(response.httpStatus)) return response;
        const asked = response.retryAfterSeconds === undefined ? undefined : response.retryAfterSeconds * 1000;
        if (asked !== undefined && asked > RETRY_AFTER_LIMIT_MS) {
          debug(
            () =>
              `GET ${request.path}: JD Cloud asked to wait ${response.retryAfterSeconds} s, more than ${RETRY_AFTER_LIMIT_MS / 1000} s: not retried`,
          );
          return response;
        }
        return n > settings.maxRetries
          ? response
          : retry(n, asked, `${response.httpStatus}${asked !== undefined ? " with Retry-After" : ""}`);
      },
      (error: unknown) => {
        if (error instanceof RequestAborted) throw error;
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== undefined && CERTIFICATE_ERROR_CODES.has(code)) {
          throw new CertificateError(settings.endpoint, request.target, code, error);
        }
        if (error instanceof AnswerTooLarge) {
          const requestId = error.requestId === undefined ? undefined : serverText(error.requestId, 64);
          throw new InvalidResponseError(
            { ...request.target, ...(requestId ? { requestId } : {}) },
            error.httpStatus,
            "(body)",
            error.message,
          );
        }
        // Every other failure of an attempt is at the network level (refused, reset, timed out, not
        // valid HTTP): worth another try, and a NetworkError when the tries run out.
        if (n > settings.maxRetries) throw new NetworkError(settings.endpoint, request.target, n, error instanceof AttemptTimeout, error);
        return retry(n, undefined, error instanceof Error ? serverText(error.message, 120) : "a network failure");
      },
    );
  // Exponential backoff with full jitter, or what `Retry-After` asked for; no slot is held meanwhile.
  const retry = (n: number, askedMs: number | undefined, why: string): Promise<RawResponse> => {
    const random = hooks.random ?? Math.random;
    const delay = askedMs ?? Math.floor(random() * Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** (n - 1)));
    debug(() => `GET ${request.path}: attempt ${n} of ${settings.maxRetries + 1} got ${why}; waiting ${delay} ms before the next`);
    return (hooks.sleep ?? realSleep)(delay).then(() => attempt(n + 1));
  };
  return attempt(1);
}

/** The answer as a RawResponse: status, body, and the request ID and `Retry-After` when sent. */
function toResponse(answer: Answer, attempts: number, hooks: TransportHooks): RawResponse {
  const response: { -readonly [K in keyof RawResponse]: RawResponse[K] } = { httpStatus: answer.status, body: answer.body, attempts };
  const requestId = firstHeader(answer.headers[HEADER.requestId]);
  if (requestId) response.requestId = requestId;
  const retryAfter = answer.headers[HEADER.retryAfter];
  if (retryAfter !== undefined) {
    const seconds = parseRetryAfter(firstHeader(retryAfter), hooks.now?.() ?? new Date());
    if (seconds !== undefined) response.retryAfterSeconds = seconds;
  }
  return response;
}

/** An HTTP-date as RFC 9110 allows it: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850, or asctime. */
const HTTP_DATE =
  /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d{2}-(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d{2} \d{2}:\d{2}:\d{2} GMT|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d{2}:\d{2}:\d{2} \d{4})$/;

/**
 * `Retry-After` in seconds, or `undefined` when absent or not what RFC 9110 allows: a whole number
 * of seconds, or an HTTP-date (a date in the past is 0). Anything else — `-1`, `1.5`, `2, 3`, a
 * date in another form — is ignored, so the usual backoff applies rather than none.
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text);
  if (!HTTP_DATE.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
