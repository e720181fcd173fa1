/**
 * The one place requests go out: sign, send over a keep-alive connection, time
 * out each attempt, retry 429/5xx/network failures with exponential backoff and
 * full jitter (or `Retry-After` when given), signing every attempt afresh.
 */
import * as http from "node:http";
import * as https from "node:https";
import { randomUUID } from "node:crypto";
import fetch, { FetchError } from "node-fetch";
import {
  HEADER,
  RETRYABLE_STATUSES,
  RETRY_AFTER_LIMIT_MS,
  RETRY_BASE_DELAY_MS,
  RETRY_MAX_DELAY_MS,
  USER_AGENT,
} from "./constants";
import { LookupTarget, NetworkError } from "./errors";
import type { Settings } from "./settings";
import { signRequest } from "./signer";

/** A GET to send: the path is already encoded, the region goes into the signature scope. */
export interface SignedGet {
  readonly path: string;
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

const agents = {
  http: new http.Agent({ keepAlive: true, keepAliveMsecs: 10_000 }),
  https: new https.Agent({ keepAlive: true, keepAliveMsecs: 10_000 }),
};

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

class AttemptTimeout extends Error {}

/** Sends a signed GET with retries; resolves with the final answer or throws `NetworkError`. */
export async function getWithRetries(settings: Settings, request: SignedGet, hooks: TransportHooks = {}): Promise<RawResponse> {
  const sleep = hooks.sleep ?? realSleep;
  const random = hooks.random ?? Math.random;
  const url = settings.endpoint + request.path;
  const host = new URL(settings.endpoint).host;
  const agent = url.startsWith("https:") ? agents.https : agents.http;
  const attempts = settings.maxRetries + 1;

  for (let attempt = 1; ; attempt++) {
    hooks.onAttempt?.(attempt);
    const headers = signRequest(
      {
        method: "GET",
        path: request.path,
        headers: { [HEADER.host]: host, [HEADER.accept]: "application/json", [HEADER.contentType]: "application/json" },
      },
      settings,
      {
        region: request.regionId,
        service: settings.signingService,
        date: hooks.now?.() ?? new Date(),
        nonce: hooks.nonce?.() ?? randomUUID(),
      },
    );
    headers[HEADER.userAgent] = USER_AGENT;

    let outcome: RawResponse | { error: unknown; timedOut: boolean };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new AttemptTimeout()), settings.timeoutMs);
    try {
      const res = await fetch(url, {
        method: "GET",
        headers,
        agent,
        compress: true,
        // node-fetch's own AbortSignal type predates the global one; they are the same at run time.
        signal: controller.signal as unknown as import("node-fetch").RequestInit["signal"],
      });
      const body = await res.text();
      const requestId = res.headers.get(HEADER.requestId) ?? undefined;
      const retryAfterSeconds = parseRetryAfter(res.headers.get(HEADER.retryAfter), hooks.now?.() ?? new Date());
      outcome = {
        httpStatus: res.status,
        body,
        attempts: attempt,
        ...(requestId ? { requestId } : {}),
        ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
      };
    } catch (error) {
      outcome = { error, timedOut: controller.signal.aborted };
    } finally {
      clearTimeout(timer);
    }

    const retryable = "error" in outcome ? isNetworkFailure(outcome.error) : RETRYABLE_STATUSES.has(outcome.httpStatus);
    if (!retryable) {
      if ("error" in outcome) throw outcome.error;
      return outcome;
    }
    let delay = Math.floor(random() * Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** (attempt - 1)));
    if (!("error" in outcome) && outcome.retryAfterSeconds !== undefined) {
      const asked = outcome.retryAfterSeconds * 1000;
      if (asked > RETRY_AFTER_LIMIT_MS) return outcome;
      delay = asked;
    }
    if (attempt >= attempts) {
      if ("error" in outcome) throw new NetworkError(settings.endpoint, request.target, attempt, outcome.timedOut, outcome.error);
      return outcome;
    }
    await sleep(delay);
  }
}

function isNetworkFailure(error: unknown): boolean {
  if (error instanceof FetchError) return true;
  if (error instanceof Error && (error.name === "AbortError" || error instanceof AttemptTimeout)) return true;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" && /^(E[A-Z]+|UND_ERR.*)$/.test(code);
}

/** `Retry-After` in seconds (delta or HTTP date), or `undefined` when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
