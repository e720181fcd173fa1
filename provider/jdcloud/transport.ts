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

/** An answer larger than MAX_RESPONSE_BYTES: aborted, never retried. */
class AnswerTooLarge extends Error {
  constructor(
    readonly httpStatus: number,
    readonly requestId: string | undefined,
  ) {
    super(`is larger than ${MAX_RESPONSE_BYTES} bytes; the answer was not read further`);
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
      reject(error);
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
          if (size > MAX_RESPONSE_BYTES) {
            const id = res.headers[HEADER.requestId];
            fail(new AnswerTooLarge(res.statusCode ?? 0, Array.isArray(id) ? id[0] : id));
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
        resolve(attemptOnce(target, path, headers, timeoutMs, false));
        return;
      }
      fail(error);
    });
    req.end();
  });
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Sends a signed GET with retries; resolves with the final answer or throws `NetworkError`. */
export function getWithRetries(settings: Settings, request: SignedGet, hooks: TransportHooks = {}): Promise<RawResponse> {
  const target = targetOf(settings.endpoint);
  // Written as a chain, not an async loop: the first attempt is the hot path of every lookup.
  const attempt = (n: number): Promise<RawResponse> => {
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
    return attemptOnce(target, request.query ? `${request.path}?${request.query}` : request.path, headers, settings.timeoutMs).then(
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
  };
  // Exponential backoff with full jitter, or what `Retry-After` asked for.
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

/** `Retry-After` in seconds (delta or HTTP date), or `undefined` when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
