/**
 * Checks a request's signature as JD Cloud's gateway does, with the shared
 * signer, against the scope the request states (JDCLOUD2 and JDCLOUD3).
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { HEADER } from "../provider/jdcloud/constants";
import { ALGORITHM_V2, ALGORITHM_V3 } from "../provider/jdcloud/constants";
import { SIGNATURE_VERSIONS, SignatureVersion, canonicalRequest, computeSignature, parseSigningDate } from "../provider/jdcloud/signer";

/** The parts of an `Authorization` header. */
export interface ParsedAuthorization {
  readonly algorithm: string;
  readonly accessKey: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly terminator: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** Splits an `Authorization` header into its parts, or `undefined` when it is not a JD Cloud one. */
export function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
  if (!header) return undefined;
  const m =
    /^(\S+) Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/([^/,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(
      header.trim(),
    );
  if (!m) return undefined;
  const [, algorithm, accessKey, date, region, service, terminator, signedHeaders, signature] = m;
  if (!algorithm || !accessKey || !date || !region || !service || !terminator || !signedHeaders || !signature) {
    return undefined;
  }
  return { algorithm, accessKey, date, region, service, terminator, signedHeaders: signedHeaders.split(";"), signature };
}

/** The version an algorithm name stands for, or `undefined` for an unknown one. */
function versionOf(algorithm: string): SignatureVersion | undefined {
  if (algorithm === ALGORITHM_V2) return 2;
  if (algorithm === ALGORITHM_V3) return 3;
  return undefined;
}

/** How far `x-jdcloud-date` may be from the emulator's clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** Why a request was refused, or its access key when it was accepted. */
export type AuthResult = { ok: true; accessKey: string } | { ok: false; message: string };

/** What a verifier needs to know about a request. */
export interface RequestToVerify {
  readonly method: string;
  /** The path as received, still percent-encoded. */
  readonly path: string;
  readonly query: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  // Names come from the request's own SignedHeaders: `toString` or `__proto__` is just a header
  // the request did not send, never a property of the object that holds the headers.
  if (!Object.hasOwn(headers, name)) return undefined;
  const value = headers[name];
  if (Array.isArray(value)) return value.join(", ");
  return typeof value === "string" ? value : undefined;
}

/** Verifies a request against the known key pairs at time `now`. */
export function verifyRequest(request: RequestToVerify, keys: ReadonlyMap<string, string>, now: Date): AuthResult {
  const auth = parseAuthorization(header(request.headers, HEADER.authorization));
  if (!auth) return { ok: false, message: "Missing or malformed Authorization header" };
  const version = versionOf(auth.algorithm);
  if (!version || auth.terminator !== SIGNATURE_VERSIONS[version].terminator) {
    return { ok: false, message: `Unsupported signature algorithm ${auth.algorithm}` };
  }
  const secretKey = keys.get(auth.accessKey);
  if (secretKey === undefined) return { ok: false, message: `Unknown access key ${auth.accessKey}` };
  const nonce = header(request.headers, HEADER.nonce);
  if (!nonce) return { ok: false, message: "Missing x-jdcloud-nonce header" };
  const dateText = header(request.headers, HEADER.date);
  const date = dateText ? parseSigningDate(dateText) : undefined;
  if (!dateText || !date) return { ok: false, message: "Missing or malformed x-jdcloud-date header" };
  if (Math.abs(now.getTime() - date.getTime()) > MAX_CLOCK_SKEW_MS) {
    return { ok: false, message: `x-jdcloud-date ${dateText} is more than 15 minutes from the server time` };
  }
  if (dateText.slice(0, 8) !== auth.date) return { ok: false, message: "Credential scope date does not match x-jdcloud-date" };
  // Only `host` must be signed: the JS SDK also signs the date and nonce, the Python SDK (JDCLOUD3)
  // adds them after signing. The date cannot be tampered with unsigned: it is in the string to sign.
  if (!auth.signedHeaders.includes(HEADER.host)) return { ok: false, message: `Header ${HEADER.host} is not signed` };
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = header(request.headers, name);
    if (value === undefined) return { ok: false, message: `Signed header ${name} is missing` };
    headers[name] = value;
  }
  const { text } = canonicalRequest(
    { method: request.method, path: request.path, query: request.query, headers, body: request.body },
    auth.signedHeaders,
    version,
  );
  const expected = computeSignature(text, { accessKey: auth.accessKey, secretKey }, dateText, auth.region, auth.service, version);
  const given = Buffer.from(auth.signature, "hex");
  const wanted = Buffer.from(expected, "hex");
  const match = given.length === wanted.length && timingSafeEqual(wanted, given);
  return match ? { ok: true, accessKey: auth.accessKey } : { ok: false, message: "Signature does not match" };
}
