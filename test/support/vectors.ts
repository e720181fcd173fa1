/** Stored signature test vectors (test/vectors/jdcloud{2,3}.json): their shape, reading and writing. */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseSigningDate, signRequest, SignatureVersion } from "../../provider/jdcloud/signer";

/** One request, its signing inputs and the Authorization header an official SDK gave it. */
export interface SignatureVector {
  readonly name: string;
  readonly version: SignatureVersion;
  /** The request as sent, before signing: path and query percent-encoded, headers without date, nonce or token. */
  readonly request: {
    readonly method: string;
    readonly path: string;
    readonly query: string;
    readonly headers: Readonly<Record<string, string>>;
  };
  readonly accessKey: string;
  readonly secretKey: string;
  readonly securityToken?: string;
  readonly region: string;
  readonly service: string;
  readonly datetime: string;
  readonly nonce: string;
  /** What the official SDK signed. */
  readonly authorization: string;
}

/** A vector file: where its answers came from, and the vectors. */
export interface VectorFile {
  readonly source: string;
  readonly vectors: readonly SignatureVector[];
}

function fileOf(version: SignatureVersion): string {
  return path.join(__dirname, "..", "vectors", `jdcloud${version}.json`);
}

/** Reads the stored vectors of a signature version. */
export function readVectors(version: SignatureVersion): VectorFile {
  return JSON.parse(fs.readFileSync(fileOf(version), "utf8")) as VectorFile;
}

/** Writes the vectors of a signature version. */
export function writeVectors(version: SignatureVersion, source: string, vectors: readonly SignatureVector[]): void {
  fs.writeFileSync(fileOf(version), JSON.stringify({ source, vectors }, null, 2) + "\n");
}

/** Our Authorization header for a vector's request. */
export function ourAuthorization(v: SignatureVector): string | undefined {
  return signRequest(
    v.request,
    { accessKey: v.accessKey, secretKey: v.secretKey, ...(v.securityToken ? { securityToken: v.securityToken } : {}) },
    { region: v.region, service: v.service, date: parseSigningDate(v.datetime) as Date, nonce: v.nonce, version: v.version },
  )["authorization"];
}
