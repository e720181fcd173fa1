/**
 * Every literal the client, signer and emulator share: header names, algorithms,
 * defaults and environment variable names. Derived values are computed from these.
 */

/** The public JD Cloud endpoint that serves `describeImage` for the VM product. */
export const DEFAULT_ENDPOINT = "https://coc-vm.jdcloud-api.com";

/** API version prefix of every VM path. */
export const API_VERSION_PATH = "/v1";

/** Per-attempt timeout when none is configured, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Retries after the first attempt when none is configured (4 attempts in all). */
export const DEFAULT_MAX_RETRIES = 3;

/** The largest answer read, in bytes: an image answer is a few KB. Beyond it the request is aborted. */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** Requests one process keeps in flight at most, across every lookup. */
export const MAX_IN_FLIGHT = 8;

/** Base of the exponential backoff between attempts, in milliseconds (full jitter below it). */
export const RETRY_BASE_DELAY_MS = 100;
/** Cap of the backoff between attempts, in milliseconds. */
export const RETRY_MAX_DELAY_MS = 5_000;
/** A `Retry-After` longer than this is not waited for: the error is returned instead. */
export const RETRY_AFTER_LIMIT_MS = 30_000;

/** The signing service the official SDK uses for the VM product; our fallback for IP hosts. */
export const VM_SIGNING_SERVICE = "vm";

/** The signature algorithm every JD Cloud SDK sends today, and ours. */
export const ALGORITHM_V2 = "JDCLOUD2-HMAC-SHA256";
/** The newer algorithm JD Cloud's Python SDK uses; the emulator accepts it too. */
export const ALGORITHM_V3 = "JDCLOUD3-HMAC-SHA256";

/** Header names, lower case as they are signed. */
export const HEADER = Object.freeze({
  authorization: "authorization",
  date: "x-jdcloud-date",
  nonce: "x-jdcloud-nonce",
  securityToken: "x-jdcloud-security-token",
  requestId: "x-jdcloud-request-id",
  host: "host",
  accept: "accept",
  contentType: "content-type",
  userAgent: "user-agent",
  retryAfter: "retry-after",
});

/** Environment variables read by the settings resolver, in one place. */
export const ENV = Object.freeze({
  accessKey: "JDCLOUD_ACCESS_KEY",
  secretKey: "JDCLOUD_SECRET_KEY",
  securityToken: "JDCLOUD_SESSION_TOKEN",
  region: "JDCLOUD_REGION",
  endpoint: "JDCLOUD_ENDPOINT",
  profile: "JDCLOUD_PROFILE",
});

/** Pulumi stack config namespace: `jdcloud-image:region`, `jdcloud-image:secretKey`, ... */
export const CONFIG_NAMESPACE = "jdcloud-image";
/** The namespace of releases before 0.2 (`jdcloud:secretKey`), still read by the TypeScript SDK, with a warning. */
export const LEGACY_CONFIG_NAMESPACE = "jdcloud";

/** Where the official `jdc` CLI keeps its profiles, relative to the home directory. */
export const JDC_CONFIG_FILE = ".jdc/config";
/** Where the `jdc` CLI names the current profile, relative to the home directory. */
export const JDC_CURRENT_FILE = ".jdc/current";
/** The endpoint `jdc configure add` writes when given none: JD Cloud's generic gateway. */
export const JDC_DEFAULT_ENDPOINT = "www.jdcloud-api.com";
/** The profile used when neither `JDCLOUD_PROFILE` nor `~/.jdc/current` names one. */
export const JDC_DEFAULT_PROFILE = "default";

/**
 * What an access key, secret key or session token may hold: printable ASCII without spaces, as it
 * travels in (or signs) a header. The client and the emulator check keys by this one rule.
 */
export const KEY_PATTERN = /^[\x21-\x7e]+$/;

/** HTTP statuses worth another attempt: throttling and passing server trouble (not 501 Not Implemented). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/**
 * The one definition of "another attempt may pass" for an answer: the retry loop and every
 * error's `retryable` field and wording use it.
 */
export function isRetryableStatus(httpStatus: number): boolean {
  return RETRYABLE_STATUSES.has(httpStatus);
}

/**
 * Error codes of a connection that can never succeed by trying again: the server's TLS
 * certificate is not trusted or does not match, or the endpoint does not speak TLS.
 */
export const CERTIFICATE_ERROR_CODES: ReadonlySet<string> = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_REVOKED",
  "CERT_SIGNATURE_FAILURE",
  "INVALID_CA",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "ERR_SSL_WRONG_VERSION_NUMBER",
]);

/** The `User-Agent` our client sends (not signed, as in the official SDK). */
export const USER_AGENT = "pulumi-jdcloud-image/0.1 (+node)";
