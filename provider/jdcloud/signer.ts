/**
 * JDCLOUD2-HMAC-SHA256 request signing (and its JDCLOUD3 sibling), as small pure
 * functions: no clock, no randomness, no environment. The date and nonce are
 * parameters, so the same inputs always give the same signature — the official
 * `jdcloud-sdk-js` signer is the test oracle for that.
 */
import * as crypto from "node:crypto";
import { createHash, createHmac } from "node:crypto";
import { ALGORITHM_V2, ALGORITHM_V3, HEADER } from "./constants";
import { registerState } from "./state";

/** The signature versions the gateway accepts: `2` is what every SDK sends today. */
export type SignatureVersion = 2 | 3;

/** Credentials a request is signed with. */
export interface SigningCredentials {
  /** The access key ID, sent in the clear in `Credential=`. */
  readonly accessKey: string;
  /** The secret key; it only ever feeds the HMAC key chain. */
  readonly secretKey: string;
  /** A temporary session token; sent and signed as `x-jdcloud-security-token`. */
  readonly securityToken?: string;
}

/** A request as it goes on the wire. */
export interface SignableRequest {
  /** HTTP method, upper case. */
  readonly method: string;
  /** The path as sent, already percent-encoded (see {@link encodePath}). */
  readonly path: string;
  /** The raw query string without `?`, or `""`. */
  readonly query?: string;
  /** Headers to send and sign; must include `host`. Names are case-insensitive. */
  readonly headers: Readonly<Record<string, string>>;
  /** The request body; `""` for a GET. */
  readonly body?: string;
}

/** Where and when a request is signed. */
export interface SigningContext {
  /** Region in the credential scope, e.g. `cn-north-1`. */
  readonly region: string;
  /** Service in the credential scope, e.g. `vm`. */
  readonly service: string;
  /** The signing time (second precision is used). */
  readonly date: Date;
  /** A fresh unique value per request (the official SDK uses a UUID v4). */
  readonly nonce: string;
  /** Signature version; default 2. */
  readonly version?: SignatureVersion;
}

/** Each signature version's algorithm name, key seed and scope terminator. */
export const SIGNATURE_VERSIONS = {
  2: { algorithm: ALGORITHM_V2, seed: "JDCLOUD2", terminator: "jdcloud2_request" },
  3: { algorithm: ALGORITHM_V3, seed: "JDCLOUD3", terminator: "jdcloud3_request" },
} as const;
const VERSIONS = SIGNATURE_VERSIONS;

/** RFC 3986 percent-encoding, as the official SDK's `uriEscape` does it. */
export function uriEscape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

/** Encodes each segment of a raw path, keeping the slashes. */
export function encodePath(rawPath: string): string {
  // Validated IDs and regions need no escaping: skip the split and join.
  if (/^[A-Za-z0-9/._~-]*$/.test(rawPath)) return rawPath;
  return rawPath.split("/").map(uriEscape).join("/");
}

let lastSecond = Number.NaN;
let lastFormatted = "";

/** `YYYYMMDDTHHMMSSZ`, the form of `x-jdcloud-date` (remembered for the current second). */
export function formatSigningDate(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second === lastSecond) return lastFormatted;
  lastSecond = second;
  lastFormatted = formatDate(date);
  return lastFormatted;
}

function formatDate(date: Date): string {
  const two = (n: number): string => (n < 10 ? "0" : "") + n;
  return (
    date.getUTCFullYear() +
    two(date.getUTCMonth() + 1) +
    two(date.getUTCDate()) +
    "T" +
    two(date.getUTCHours()) +
    two(date.getUTCMinutes()) +
    two(date.getUTCSeconds()) +
    "Z"
  );
}

/** Parses `YYYYMMDDTHHMMSSZ` back to a Date, or `undefined` when malformed. */
export function parseSigningDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

// Node's one-shot `crypto.hash` (Node 20.12+) is about twice as fast as a Hash object for the
// short strings a signature hashes; older Node 20 releases fall back to `createHash`.
const oneShot = (crypto as { hash?: (algorithm: string, data: string) => string }).hash;

/** Hex SHA-256 of an empty body: every GET's payload hash. */
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** Hex SHA-256 of a string. */
export function sha256Hex(data: string): string {
  if (data === "") return EMPTY_SHA256;
  return oneShot ? oneShot("sha256", data) : createHash("sha256").update(data, "utf8").digest("hex");
}

/**
 * The canonical query: parameters decoded as Node's `querystring` does, sorted by
 * name, values of a repeated name sorted, everything re-encoded with {@link uriEscape}.
 */
export function canonicalQuery(query: string | undefined): string {
  if (!query) return "";
  const params = new Map<string, string[]>();
  for (const pair of query.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = decodeQueryComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? "" : decodeQueryComponent(pair.slice(eq + 1));
    const values = params.get(name);
    if (values) values.push(value);
    else params.set(name, [value]);
  }
  return [...params.keys()]
    .sort()
    .map((name) => {
      const values = params.get(name) ?? [];
      const escaped = uriEscape(name);
      return values.length === 1
        ? `${escaped}=${uriEscape(values[0] ?? "")}`
        : `${escaped}=` + values.map(uriEscape).sort().join(`&${escaped}=`);
    })
    .join("&");
}

function decodeQueryComponent(value: string): string {
  const plus = value.replace(/\+/g, " ");
  try {
    return decodeURIComponent(plus);
  } catch {
    // Node's querystring keeps a malformed escape as it is; so do we.
    return plus;
  }
}

/** Whether a header takes part in the signature: all but `authorization` and `user-agent`. */
export function isSignableHeader(lowerName: string): boolean {
  if (lowerName.includes("x-jdcloud-")) return true;
  return lowerName !== HEADER.authorization && lowerName !== HEADER.userAgent;
}

const NEEDS_FOLDING = /\s/;

/**
 * Canonical headers and the signed-header list. With `only`, just those names are
 * used (a verifier passes the list the request states); otherwise every signable one.
 * Values are trimmed; JDCLOUD2 (the JS SDK) also folds inner white space, JDCLOUD3 (the
 * Python SDK) does not.
 */
export function canonicalHeaders(
  headers: Readonly<Record<string, string>>,
  only?: readonly string[],
  version: SignatureVersion = 2,
): { canonical: string; signed: string } {
  const byName = new Map<string, string>();
  for (const name in headers) {
    const value = headers[name] ?? "";
    const lower = name.toLowerCase();
    const prior = byName.get(lower);
    byName.set(lower, prior === undefined ? value : `${prior}, ${value}`);
  }
  const names: string[] = [];
  if (only) names.push(...only);
  else for (const name of byName.keys()) if (isSignableHeader(name)) names.push(name);
  names.sort();
  let canonical = "";
  for (const n of names) {
    const value = byName.get(n) ?? "";
    const clean = version === 3 ? value.trim() : NEEDS_FOLDING.test(value) ? value.replace(/\s+/g, " ").trim() : value;
    canonical += (canonical === "" ? "" : "\n") + n + ":" + clean;
  }
  return { canonical, signed: names.join(";") };
}

/**
 * Python's `urllib.parse.unquote_plus`: `+` is a space, `%XX` a byte, bytes read as UTF-8 with
 * U+FFFD for invalid sequences, a malformed escape kept as it is.
 */
function unquotePlus(value: string): string {
  const text = value.replace(/\+/g, " ");
  if (!text.includes("%")) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25 && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
      continue;
    }
    const cp = text.codePointAt(i) ?? c;
    if (cp > 0xffff) i++;
    bytes.push(...Buffer.from(String.fromCodePoint(cp), "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

/** Python's `urllib.parse.quote` with `safe`: UTF-8 bytes, all but `A-Za-z0-9_.-~` and `safe` escaped as `%XX`. */
function quote(value: string, safe: string): string {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.\-~]/.test(ch) || (byte < 0x80 && safe.includes(ch)) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** The JDCLOUD3 canonical path, as the Python SDK builds it: decoded, runs of `/` folded, re-escaped. */
export function canonicalPathV3(path: string): string {
  const decoded = unquotePlus(path).replace(/\/+/g, "/");
  if (decoded === "") return "/";
  const encoded = quote(decoded, "/~");
  return encoded.startsWith("/") ? encoded : `/${encoded}`;
}

/**
 * The JDCLOUD3 canonical query, as the Python SDK builds it: each `name=value` decoded and
 * re-escaped, pairs sorted by name then value, a part without `=` or with an empty name left out.
 */
export function canonicalQueryV3(query: string | undefined): string {
  if (!query) return "";
  const pairs: Array<[string, string]> = [];
  for (const part of query.split("&")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = quote(unquotePlus(part.slice(0, eq)), "~");
    if (name === "") continue;
    pairs.push([name, quote(unquotePlus(part.slice(eq + 1)), "~")]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join("&");
}

/**
 * The canonical request that gets hashed into the string to sign. JDCLOUD2 follows the JS SDK
 * (the path as sent); JDCLOUD3 follows the Python SDK (path and query decoded and re-escaped).
 */
export function canonicalRequest(
  request: SignableRequest,
  only?: readonly string[],
  version: SignatureVersion = 2,
): { text: string; signed: string } {
  const { canonical, signed } = canonicalHeaders(request.headers, only, version);
  const text = [
    request.method.toUpperCase(),
    version === 3 ? canonicalPathV3(request.path) : request.path,
    version === 3 ? canonicalQueryV3(request.query) : canonicalQuery(request.query),
    canonical + "\n",
    signed,
    sha256Hex(request.body ?? ""),
  ].join("\n");
  return { text, signed };
}

/** `YYYYMMDD/region/service/jdcloud2_request`. */
export function credentialScope(date8: string, region: string, service: string, version: SignatureVersion = 2): string {
  return [date8, region, service, VERSIONS[version].terminator].join("/");
}

interface CachedKey {
  readonly secretKey: string;
  readonly key: Buffer;
}
const signingKeys = new Map<string, CachedKey>();
const SIGNING_KEY_CACHE_SIZE = 64;
registerState({
  name: "signer: signing keys",
  holds: "a derived signing key (HMAC chain of the secret) by version, date, region, service and access key",
  bound: `${SIGNING_KEY_CACHE_SIZE} keys, oldest dropped first`,
  lifetime: "the process (a key is good for its date only, and a new date makes a new entry)",
  size: () => signingKeys.size,
  reset: () => signingKeys.clear(),
});

/**
 * The HMAC key chain: `"JDCLOUD2"+secret` → date → region → service → terminator.
 * Memoized per (version, date, region, service, access key), as the official SDK does.
 */
export function deriveSigningKey(
  credentials: Pick<SigningCredentials, "accessKey" | "secretKey">,
  date8: string,
  region: string,
  service: string,
  version: SignatureVersion = 2,
): Buffer {
  const id = `${version}\n${date8}\n${region}\n${service}\n${credentials.accessKey}`;
  const hit = signingKeys.get(id);
  if (hit && hit.secretKey === credentials.secretKey) return hit.key;
  const spec = VERSIONS[version];
  const kDate = createHmac("sha256", spec.seed + credentials.secretKey)
    .update(date8)
    .digest();
  const kRegion = createHmac("sha256", kDate).update(region).digest();
  const kService = createHmac("sha256", kRegion).update(service).digest();
  const key = createHmac("sha256", kService).update(spec.terminator).digest();
  if (signingKeys.size >= SIGNING_KEY_CACHE_SIZE) {
    const oldest = signingKeys.keys().next().value;
    if (oldest !== undefined) signingKeys.delete(oldest);
  }
  signingKeys.set(id, { secretKey: credentials.secretKey, key });
  return key;
}

/** The hex signature of a canonical request. */
export function computeSignature(
  canonical: string,
  credentials: Pick<SigningCredentials, "accessKey" | "secretKey">,
  datetime: string,
  region: string,
  service: string,
  version: SignatureVersion = 2,
): string {
  const date8 = datetime.slice(0, 8);
  const stringToSign = [VERSIONS[version].algorithm, datetime, credentialScope(date8, region, service, version), sha256Hex(canonical)].join(
    "\n",
  );
  return createHmac("sha256", deriveSigningKey(credentials, date8, region, service, version))
    .update(stringToSign)
    .digest("hex");
}

/**
 * Signs a request: returns its headers plus `x-jdcloud-date`, `x-jdcloud-nonce`,
 * `x-jdcloud-security-token` (when there is one) and `authorization`.
 */
export function signRequest(request: SignableRequest, credentials: SigningCredentials, context: SigningContext): Record<string, string> {
  const version = context.version ?? 2;
  const datetime = formatSigningDate(context.date);
  const headers: Record<string, string> = { ...request.headers };
  headers[HEADER.date] = datetime;
  headers[HEADER.nonce] = context.nonce;
  if (credentials.securityToken) headers[HEADER.securityToken] = credentials.securityToken;
  const { text, signed } = canonicalRequest({ ...request, headers }, undefined, version);
  const signature = computeSignature(text, credentials, datetime, context.region, context.service, version);
  const scope = credentialScope(datetime.slice(0, 8), context.region, context.service, version);
  headers[HEADER.authorization] =
    `${VERSIONS[version].algorithm} Credential=${credentials.accessKey}/${scope}, ` + `SignedHeaders=${signed}, Signature=${signature}`;
  return headers;
}
