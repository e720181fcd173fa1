/**
 * One class per failure a program must tell apart. Every message is one sentence
 * for people: what was asked, what happened, what to do. None ever carries the
 * secret key or a request body.
 */

/** What a lookup was about, for messages and fields. */
export interface LookupTarget {
  /** The region asked, when known. */
  readonly regionId?: string;
  /** The image asked, when known. */
  readonly imageId?: string;
  /** What was asked when it is not one image, e.g. `the image search`. */
  readonly subject?: string;
}

function about(target: LookupTarget): string {
  const imageId = target.imageId === undefined ? undefined : clip(target.imageId, 80);
  const regionId = target.regionId === undefined ? undefined : clip(target.regionId, 64);
  if (imageId && regionId) return `image '${imageId}' in region ${regionId}`;
  if (imageId) return `image '${imageId}'`;
  if (regionId) return `region ${regionId}`;
  return target.subject ?? "the image lookup";
}

/**
 * Text from outside (a value a user passed, a file name, a server's words) made safe for one line
 * of an error message: control characters and the invisible ones that reorder or hide text (bidi
 * controls, zero-width marks) escaped (`\n`, `\u001b`, `\u202e`, ...) so nothing can break the line,
 * colour a terminal or disguise a value, and cut to `max` characters with an ellipsis.
 */
export function clip(text: string, max = 80): string {
  // Cut first (generously): a megabyte of text is escaped no further than it is shown.
  const head = text.length > max * 2 ? text.slice(0, max * 2) : text;
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const escaped = head.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (c) => {
    const named: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
  return escaped.length > max ? `${escaped.slice(0, max - 1)}…` : escaped;
}

/** What kind of value it is, in words, for a message that must not repeat the value: `a list`, `a number`, `null`. */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : typeof value === "string" ? "a string" : `a ${typeof value}`;
}

/** The longest message any of our errors carries, in characters (a safety net: each part is bounded already). */
export const MESSAGE_MAX = 2000;

/** The longest server text (message, status, request ID, body excerpt) an error repeats, in characters. */
export const SERVER_TEXT_MAX = 300;

// A JDCLOUD2/JDCLOUD3 Authorization value (with whatever follows it up to a quote), a
// `Signature=<hex>` pair, or a bare 64-hex-digit run (an HMAC-SHA256 signature or key).
const SIGNING_MATERIAL = /JDCLOUD\d-HMAC-SHA256\s+Credential=[^"'\r\n]*|Signature=[0-9a-fA-F]+|\b[0-9a-fA-F]{64}\b/g;

/**
 * Text a server sent, made safe for an error message: anything shaped like an `Authorization`
 * value or a signature redacted (a server may echo our request back), control characters escaped,
 * and cut to `max` characters ({@link SERVER_TEXT_MAX} by default).
 */
export function serverText(text: string, max = SERVER_TEXT_MAX): string {
  // Cut before redacting, but generously, so a signature cut in half is still recognized.
  const head = text.length > max * 4 ? text.slice(0, max * 4) : text;
  return clip(head.replace(SIGNING_MATERIAL, "[redacted]"), max);
}

function requestNote(requestId: string | undefined): string {
  return requestId ? ` (JD Cloud request ${requestId})` : "";
}

/** The environment variable that keeps full stack traces on our errors (`PULUMI_JDCLOUD_DEBUG=1`). */
export const DEBUG_ENV = "PULUMI_JDCLOUD_DEBUG";

function debugging(): boolean {
  const value = process.env[DEBUG_ENV];
  return value !== undefined && value !== "" && value !== "0" && value !== "false";
}

/**
 * The base of every error this package throws.
 *
 * Its `stack` is the one line `Name: message` unless `PULUMI_JDCLOUD_DEBUG` is set: our messages
 * are complete sentences, and Pulumi prints a failed program's error with `util.inspect`, where a
 * lazily source-mapped stack trace costs tens of seconds and shows frames of files the package
 * does not ship.
 */
export class JdcloudImageError extends Error {
  /** The region asked, when known. */
  readonly regionId?: string;
  /** The image asked, when known. */
  readonly imageId?: string;
  /** JD Cloud's request ID, when it answered. */
  readonly requestId?: string;

  constructor(message: string, target: LookupTarget & { requestId?: string }, options?: { cause?: unknown }) {
    const debug = debugging();
    const limit = Error.stackTraceLimit;
    if (!debug) Error.stackTraceLimit = 0;
    try {
      // One cleaning for every message, whatever its parts: one line, bounded.
      super(clip(message, MESSAGE_MAX), options);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = new.target.name;
    if (!debug) Object.defineProperty(this, "stack", { value: `${this.name}: ${this.message}`, writable: true, configurable: true });
    // Fields are printed with the error (Pulumi inspects it) and read by programs: bounded and clean too.
    if (target.regionId !== undefined) this.regionId = clip(target.regionId, 64);
    if (target.imageId !== undefined) this.imageId = clip(target.imageId, 80);
    if (target.requestId !== undefined) this.requestId = clip(target.requestId, 64);
  }
}

/** Input was rejected before any request was sent. */
export class InvalidArgumentError extends JdcloudImageError {
  /** The argument or setting that was wrong, e.g. `imageId`, `require.platform`, `accessKey`. */
  readonly argument: string;
  /** Where a setting's value came from, e.g. `JDCLOUD_REGION` or `jdcloud-image:region`, when it was a setting. */
  readonly source?: string;

  constructor(argument: string, problem: string, fix: string, target: LookupTarget = {}, source?: string) {
    // A fix that asks ("did you mean 'regionId'?") ends the sentence itself.
    const end = /[.?!]$/.test(fix) ? "" : ".";
    super(
      `Invalid ${clip(argument, 120)}${source ? ` (from ${clip(source, 120)})` : ""} for ${about(target)}: ${problem}; ${fix}${end}`,
      target,
    );
    this.argument = clip(argument, 120);
    if (source !== undefined) this.source = clip(source, 120);
  }
}

/** Fields of a JD Cloud error answer. */
export interface ApiErrorDetails extends LookupTarget {
  /** The API call, e.g. `describeImages`; default `describeImage`. */
  readonly operation?: string;
  /** The HTTP status of the answer. */
  readonly httpStatus: number;
  /** JD Cloud's error status, e.g. `NOT_FOUND`, `INTERNAL`. */
  readonly status?: string;
  /** JD Cloud's own message. */
  readonly apiMessage?: string;
  /** JD Cloud's request ID. */
  readonly requestId?: string;
  /** Whether another attempt may succeed. */
  readonly retryable: boolean;
  /** Seconds JD Cloud asked us to wait (`Retry-After`), when it did. */
  readonly retryAfterSeconds?: number;
}

/** JD Cloud answered with an error. */
export class JdcloudApiError extends JdcloudImageError {
  /** The HTTP status of the answer. */
  readonly httpStatus: number;
  /** JD Cloud's error status, e.g. `NOT_FOUND`, `INTERNAL`, `ACCESS_ERROR`. */
  readonly status?: string;
  /** Whether another attempt may succeed (5xx, 429). */
  readonly retryable: boolean;

  constructor(details: ApiErrorDetails, message?: string) {
    super(
      message ??
        `JD Cloud answered ${details.httpStatus}${details.status ? ` ${details.status}` : ""} to ${details.operation ?? "describeImage"} for ` +
          `${about(details)}${details.apiMessage ? `: "${details.apiMessage}"` : ""}${requestNote(details.requestId)}` +
          (details.retryable ? "; it is likely passing, run again later." : "; this will not pass by retrying."),
      details,
    );
    this.httpStatus = details.httpStatus;
    if (details.status !== undefined) this.status = serverText(details.status, 64);
    this.retryable = details.retryable;
  }
}

/** The image does not exist in that region (404 `NOT_FOUND`). */
export class ImageNotFoundError extends JdcloudApiError {
  constructor(details: ApiErrorDetails) {
    super(
      details,
      `JD Cloud has no image '${details.imageId ?? "?"}' in region ${details.regionId ?? "?"}${requestNote(details.requestId)}: ` +
        `check the image ID, and that the image lives in this region and is visible to your account.`,
    );
  }
}

/**
 * describeImage answered not-found, but describeImages asked for the same image by ID (same
 * endpoint, region and credentials) did not confirm it: it still listed the image, or its answer was
 * not a complete list. A refresh that meets this changes nothing in state.
 */
export class UnconfirmedAbsenceError extends JdcloudImageError {
  /** JD Cloud's request ID of the describeImages answer that did not confirm the absence. */
  readonly listRequestId?: string;

  constructor(target: LookupTarget & { requestId?: string }, listed: boolean, listRequestId?: string) {
    super(
      `JD Cloud's describeImage found no image '${target.imageId ?? "?"}' in region ${target.regionId ?? "?"}` +
        `${requestNote(target.requestId)}, but describeImages ${listed ? "still lists it" : "did not answer with a complete list"}` +
        `${requestNote(listRequestId)}: the answers disagree, so nothing was dropped from state; run the refresh again later.`,
      target,
    );
    if (listRequestId !== undefined) this.listRequestId = clip(listRequestId, 64);
  }
}

/** The credentials were refused (401/403). */
export class AuthenticationError extends JdcloudApiError {
  constructor(details: ApiErrorDetails, accessKeyOrigin?: string) {
    super(
      details,
      `JD Cloud refused the credentials for ${about(details)} with ${details.httpStatus}` +
        `${details.status ? ` ${details.status}` : ""}${details.apiMessage ? ` ("${details.apiMessage}")` : ""}` +
        `${requestNote(details.requestId)}: check the access key${accessKeyOrigin ? ` (from ${accessKeyOrigin})` : ""}, ` +
        `its secret key, and the machine's clock.`,
    );
  }
}

/** JD Cloud throttled us (429) and retries did not get through. */
export class ThrottledError extends JdcloudApiError {
  /** Seconds JD Cloud asked us to wait, when it said. */
  readonly retryAfterSeconds?: number;

  constructor(details: ApiErrorDetails) {
    super(
      details,
      `JD Cloud throttled describeImage for ${about(details)} (429${details.status ? ` ${details.status}` : ""})` +
        `${requestNote(details.requestId)}` +
        `${details.retryAfterSeconds !== undefined ? ` and asked to wait ${details.retryAfterSeconds}s` : ""}: ` +
        `run again later, or raise maxRetries.`,
    );
    if (details.retryAfterSeconds !== undefined) this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** A low-level failure as the `cause` of one of ours: an Error with its message cleaned and cut, and its `code`. */
function cleanCause(cause: unknown): Error {
  const code = (cause as { code?: unknown } | undefined)?.code;
  const text = cause instanceof Error ? cause.message : String(cause);
  const clean = new Error(serverText(text, 200));
  if (typeof code === "string") Object.assign(clean, { code: clip(code, 64) });
  return clean;
}

/** The request never got an answer: connection refused or dropped, or the attempt timed out. */
export class NetworkError extends JdcloudImageError {
  /** Whether the last attempt ran out of time. */
  readonly timedOut: boolean;
  /** Attempts made in all. */
  readonly attempts: number;
  /** Whether another attempt may pass: true for refused, reset or timed-out connections. */
  readonly retryable: boolean = true;

  constructor(endpoint: string, target: LookupTarget, attempts: number, timedOut: boolean, cause: unknown, message?: string) {
    const what = timedOut ? "timed out" : `failed (${serverText(cause instanceof Error ? cause.message : String(cause), 200)})`;
    super(
      message ??
        `describeImage for ${about(target)} at ${endpoint} ${what} after ${attempts} attempt${attempts === 1 ? "" : "s"}: ` +
          `check the endpoint and the network, or raise timeoutMs/maxRetries.`,
      target,
      // The cause is printed with the error (Pulumi inspects it): its text cleaned and cut, its code kept.
      { cause: cleanCause(cause) },
    );
    this.timedOut = timedOut;
    this.attempts = attempts;
  }
}

/**
 * The endpoint's TLS certificate was refused (self-signed, expired, wrong host) or it does not
 * speak TLS: this never passes by retrying, so it is not retried.
 */
export class CertificateError extends NetworkError {
  /** Node's code for the failure, e.g. `DEPTH_ZERO_SELF_SIGNED_CERT`. */
  readonly code: string;
  override readonly retryable = false;

  constructor(endpoint: string, target: LookupTarget, code: string, cause: unknown) {
    super(
      endpoint,
      target,
      1,
      false,
      cause,
      `describeImage for ${about(target)} at ${endpoint} was refused by TLS (${code}), which no retry can change: ` +
        (code === "ERR_SSL_WRONG_VERSION_NUMBER"
          ? "the endpoint does not speak https; check its scheme and port."
          : code === "ERR_TLS_CERT_ALTNAME_INVALID"
            ? "the certificate is for another host name; check the endpoint's host."
            : "if you trust this endpoint, give Node its CA certificate with NODE_EXTRA_CA_CERTS=/path/to/ca.pem."),
    );
    this.code = clip(code, 64);
  }
}

/** JD Cloud's answer did not have the shape the API documents. */
export class InvalidResponseError extends JdcloudImageError {
  /** The HTTP status of the answer. */
  readonly httpStatus: number;
  /** Where the body went wrong, e.g. `result.image.systemDiskSizeGB`. */
  readonly path: string;

  constructor(
    target: LookupTarget & { requestId?: string },
    httpStatus: number,
    path: string,
    problem: string,
    operation = "describeImage",
  ) {
    super(
      `JD Cloud's ${httpStatus} answer to ${operation} for ${about(target)} is not a valid response` +
        `${requestNote(target.requestId)}: ${path} ${problem}; ` +
        `report it with the request ID, or check that the endpoint is a JD Cloud VM API.`,
      target,
    );
    this.httpStatus = httpStatus;
    this.path = serverText(path, 200);
  }
}

/** One requirement an image missed. */
export interface RequirementMiss {
  /** The Image field, e.g. `platform`. */
  readonly field: string;
  /** What `require` asked for. */
  readonly wanted: string | number | readonly string[];
  /** What the image has (`undefined` when JD Cloud did not say). */
  readonly found: string | number | undefined;
}

/** The image exists but does not meet `require`. */
export class ImageRequirementError extends JdcloudImageError {
  /** Every field that missed, with what was wanted and found. */
  readonly misses: readonly RequirementMiss[];

  constructor(
    target: LookupTarget & { requestId?: string },
    misses: readonly RequirementMiss[],
    /** What to do, e.g. "change 'require'" (the default). */
    change = "change 'require'",
  ) {
    const list = misses
      .map(
        (m) =>
          `${m.field} ${m.field === "systemDiskSizeGB" ? "at most" : "wanted"} ${formatWanted(m.wanted)}, found ${formatFound(m.found)}`,
      )
      .join("; ");
    super(
      `Image '${target.imageId}' in region ${target.regionId} does not meet the requirements (${list})` +
        `${requestNote(target.requestId)}: choose another image or ${change}.`,
      target,
    );
    // What a program branches on, and what Pulumi prints with the error: server text cleaned and cut here too.
    this.misses = misses.map((m) => ({
      field: clip(m.field, 40),
      wanted:
        typeof m.wanted === "number"
          ? m.wanted
          : typeof m.wanted === "string"
            ? clip(m.wanted, 200)
            : m.wanted.slice(0, 20).map((w) => clip(w, 200)),
      found: typeof m.found === "string" ? serverText(m.found, 200) : m.found,
    }));
  }
}

function formatWanted(wanted: RequirementMiss["wanted"]): string {
  if (typeof wanted === "number") return String(wanted);
  if (typeof wanted === "string") return `'${clip(wanted, 60)}'`;
  const shown = wanted.slice(0, 8).map((w) => `'${clip(w, 40)}'`);
  if (wanted.length > 8) shown.push("…");
  return wanted.length === 1 ? (shown[0] ?? "") : `one of ${shown.join(", ")}`;
}

/** What the image has: JD Cloud's text, cleaned and cut like everything a server says. */
function formatFound(found: RequirementMiss["found"]): string {
  if (found === undefined) return "nothing";
  return typeof found === "number" ? String(found) : `'${serverText(found, 60)}'`;
}

/** No credentials were found anywhere; nothing was sent. */
export class MissingCredentialsError extends InvalidArgumentError {
  /**
   * @param missing What was not found, e.g. `["access key"]`.
   * @param places Where the caller can set them, in its own words (see `settingPlaces` in settings.ts);
   *   by default the TypeScript SDK's places.
   */
  constructor(missing: readonly string[], target: LookupTarget = {}, places?: string) {
    super(
      "credentials",
      `no ${missing.join(" or ")} was found`,
      places ??
        "set them in getImage's opts (accessKey, secretKey), in Pulumi stack config (jdcloud-image:accessKey, and " +
          "jdcloud-image:secretKey with --secret), in the environment (JDCLOUD_ACCESS_KEY, JDCLOUD_SECRET_KEY), " +
          "or in a jdc CLI profile (~/.jdc/config, access_key and secret_key)",
      target,
    );
  }
}

/** How one client-side criterion narrowed a search. */
export interface CriterionCount {
  /** The criterion, e.g. `nameRegex`, `status`, `ownerPins`. */
  readonly criterion: string;
  /** How many of the images the server returned it removed. */
  readonly removed: number;
}

/** What a search was about, for messages and fields. */
export interface SearchTarget {
  readonly regionId: string;
  /** The criteria, as one short line (e.g. `imageSource=public platform=Ubuntu`). */
  readonly criteria: string;
}

/** No image met the criteria of `findImage` or `ImageSearch`. */
export class NoImageMatchError extends JdcloudImageError {
  /** How many images the server returned for the criteria it applies itself. */
  readonly returned: number;
  /** How many each client-side criterion removed, in the order they were applied. */
  readonly removedBy: readonly CriterionCount[];

  constructor(target: SearchTarget, returned: number, removedBy: readonly CriterionCount[]) {
    const removals = removedBy.filter((c) => c.removed > 0).map((c) => `${clip(c.criterion, 40)} removed ${c.removed}`);
    super(
      `No image in region ${target.regionId} matches ${clip(target.criteria, 200)}: JD Cloud returned ${returned}` +
        `${removals.length > 0 ? ` and ${removals.join(", ")}` : ""}; widen the criteria, or check the region and imageSource.`,
      { regionId: target.regionId },
    );
    this.returned = returned;
    this.removedBy = removedBy.map((c) => ({ criterion: clip(c.criterion, 40), removed: c.removed }));
  }
}

/** One image a search could have meant. */
export interface Candidate {
  readonly imageId: string;
  readonly name: string;
  readonly createTime?: string;
}

/** More than one image met the criteria and `select` is `"unique"`. */
export class AmbiguousImageMatchError extends JdcloudImageError {
  /** How many images matched. */
  readonly matched: number;
  /** Up to five of them, newest first. */
  readonly candidates: readonly Candidate[];

  constructor(target: SearchTarget, matched: number, candidates: readonly Candidate[]) {
    const shown = candidates
      .slice(0, 5)
      .map((c) => `${clip(c.imageId, 64)} '${clip(c.name, 60)}' (${c.createTime === undefined ? "no createTime" : clip(c.createTime, 40)})`)
      .join(", ");
    super(
      `${matched} images in region ${target.regionId} match ${clip(target.criteria, 200)} (${shown}${matched > 5 ? ", …" : ""}): ` +
        `narrow the criteria, or choose with select: "mostRecent" or "highestVersion".`,
      { regionId: target.regionId },
    );
    this.matched = matched;
    this.candidates = candidates.slice(0, 5).map((c) => ({
      imageId: clip(c.imageId, 64),
      name: clip(c.name, 200),
      ...(c.createTime !== undefined ? { createTime: clip(c.createTime, 40) } : {}),
    }));
  }
}

/** What the image guard was looking at when an image failed it. */
export interface GuardedPlace {
  /** The resource's name, e.g. `web-3`. */
  readonly resourceName: string;
  /** The resource's type token, e.g. `jdcloud:index/instance:Instance`. */
  readonly resourceType: string;
  /** Where in its inputs the image ID was, e.g. `instanceSpecs[1].imageId`. */
  readonly path: string;
}

/**
 * `guardImages` refused an image ID it found in a resource's inputs: the image is missing, not
 * `ready`, or misses the guard's rules — or could not be looked up. The message names the resource
 * and the property path, then says what was wrong (the `cause`'s sentence).
 */
export class ImageGuardError extends JdcloudImageError {
  /** The resource's name. */
  readonly resourceName: string;
  /** The resource's type token. */
  readonly resourceType: string;
  /** Where in the resource's inputs the image ID was, e.g. `instanceSpecs[1].imageId`. */
  readonly path: string;

  constructor(place: GuardedPlace, cause: unknown, target: LookupTarget & { requestId?: string } = {}) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `Resource '${clip(place.resourceName, 120)}' (${clip(place.resourceType, 120)}), ${clip(place.path, 120)}: ${reason}`,
      {
        ...target,
        ...(cause instanceof JdcloudImageError ? { imageId: cause.imageId, regionId: cause.regionId, requestId: cause.requestId } : {}),
      },
      { cause },
    );
    this.resourceName = clip(place.resourceName, 120);
    this.resourceType = clip(place.resourceType, 120);
    this.path = clip(place.path, 120);
  }
}
