/**
 * The requests our signers are pinned on, in one list: JDCLOUD2 cases as the official JS SDK
 * builds them, JDCLOUD3 cases as wire requests for the official Python SDK's signer. The stored
 * vectors in test/vectors are these cases signed by those SDKs (`npm run vectors`).
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { encodePath, parseSigningDate, signRequest } from "../../provider/jdcloud/signer";
import type { OracleInput } from "./officialSdk";

const KEYS = { accessKey: "AKIDEXAMPLE0123456789ABCDEF0123", secretKey: "SECRETEXAMPLE0123456789ABCDEF01" };
const WHEN = { datetime: "20261128T064305Z", nonce: "2f1c7a4e-9b7d-4c55-8d1f-6e0b9a3c2d11" };

const V2_BASE: OracleInput = {
  host: "coc-vm.jdcloud-api.com",
  path: "/regions/{regionId}/images/{imageId}",
  pathParams: { imageId: "img-h8ly274zg9" },
  regionId: "cn-north-1",
  service: "vm",
  ...KEYS,
  ...WHEN,
};

/** JDCLOUD2 cases, in the JS SDK's terms (path template, parameters). */
export const V2_CASES: ReadonlyArray<{ readonly name: string; readonly input: OracleInput; readonly securityToken?: string }> = [
  { name: "describeImage", input: V2_BASE },
  {
    name: "query strings: sorted, repeated-looking names, reserved characters",
    input: {
      ...V2_BASE,
      path: "/regions/{regionId}/images",
      pathParams: {},
      queryParams: { pageSize: 50, "filters.1.name": "imageSource", "filters.1.values.1": "a b/c*d", pageNumber: 2 },
    },
  },
  {
    name: "a security token",
    input: { ...V2_BASE, headerParams: { "x-jdcloud-security-token": "sts-token-0123456789" } },
    securityToken: "sts-token-0123456789",
  },
  { name: "a host with a port", input: { ...V2_BASE, host: "127.0.0.1:8443" } },
  { name: "unicode in the path and query", input: { ...V2_BASE, pathParams: { imageId: "镜像-ü" }, queryParams: { name: "数据 盘" } } },
  {
    name: "another region, service and date",
    input: { ...V2_BASE, regionId: "cn-south-1", service: "cocvm", datetime: "20261231T235959Z", nonce: "n-1" },
  },
];

/** A JDCLOUD3 case: the request as it goes on the wire. */
export interface V3Case {
  readonly name: string;
  readonly method: string;
  /** `scheme://host[:port]`. */
  readonly origin: string;
  /** The path as sent, percent-encoded. */
  readonly path: string;
  /** The query as sent, without `?`. */
  readonly query: string;
  readonly region: string;
  readonly service: string;
  readonly datetime: string;
  readonly nonce: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly securityToken?: string;
}

const V3_BASE: V3Case = {
  name: "describeImage",
  method: "GET",
  origin: "https://vm.jdcloud-api.com",
  path: "/v1/regions/cn-north-1/images/img-h8ly274zg9",
  query: "",
  region: "cn-north-1",
  service: "vm",
  ...KEYS,
  ...WHEN,
};

/** JDCLOUD3 cases: query strings, a port, unicode, a session token, other scopes. */
export const V3_CASES: readonly V3Case[] = [
  V3_BASE,
  {
    ...V3_BASE,
    name: "describeImages with ids and paging",
    path: "/v1/regions/cn-north-1/images",
    query: "imageSource=public&ids.2=img-b&ids.1=img-a&pageSize=100&pageNumber=2",
  },
  {
    ...V3_BASE,
    name: "query values with reserved and encoded characters",
    path: "/v1/regions/cn-north-1/images",
    query: "imageName=Ubuntu%2022.04%20%2B%20x&platform=a%2Fb*c~d&z=%E4%B8%AD%E6%96%87",
  },
  { ...V3_BASE, name: "repeated names and a part without a value", path: "/v1/regions/cn-north-1/images", query: "b=2&a=2&a=1&flag&=x" },
  { ...V3_BASE, name: "a host with a port", origin: "http://127.0.0.1:18777" },
  { ...V3_BASE, name: "unicode in the path", path: encodePath("/v1/regions/cn-north-1/images/镜像-ü") },
  { ...V3_BASE, name: "a session token", securityToken: "sts-token-0123456789" },
  {
    ...V3_BASE,
    name: "another region, service and date",
    region: "cn-south-1",
    service: "cocvm",
    datetime: "20261231T235959Z",
    nonce: "n-1",
  },
];

/** Headers our signer is given for a JDCLOUD3 case (the Python SDK's client sends `content-type`). */
function v3Headers(c: V3Case): Record<string, string> {
  return { host: new URL(c.origin).host, "content-type": "application/json" };
}

/** Our JDCLOUD3 Authorization header for a case. */
export function ourV3Authorization(c: V3Case): string | undefined {
  return signRequest(
    { method: c.method, path: c.path, query: c.query, headers: v3Headers(c) },
    { accessKey: c.accessKey, secretKey: c.secretKey, ...(c.securityToken ? { securityToken: c.securityToken } : {}) },
    { region: c.region, service: c.service, date: parseSigningDate(c.datetime) as Date, nonce: c.nonce, version: 3 },
  )["authorization"];
}

/**
 * The Python SDK's JDCLOUD3 Authorization headers for the cases, by running its signer with
 * `python` (a venv with `jdcloud-sdk` installed). The request, date, nonce and token are given as
 * headers, as our signer sends them, so both sign the same request.
 */
export function pythonV3Authorizations(python: string, cases: readonly V3Case[]): string[] {
  const input = cases.map((c) => ({
    method: c.method,
    url: `${c.origin}${c.path}${c.query ? `?${c.query}` : ""}`,
    headers: {
      "content-type": "application/json",
      "x-jdcloud-date": c.datetime,
      "x-jdcloud-nonce": c.nonce,
      ...(c.securityToken ? { "x-jdcloud-security-token": c.securityToken } : {}),
    },
    body: "",
    accessKey: c.accessKey,
    secretKey: c.secretKey,
    region: c.region,
    service: c.service,
  }));
  const res = spawnSync(python, [path.join(__dirname, "..", "interop", "py", "sign.py")], {
    input: JSON.stringify(input),
    encoding: "utf8",
  });
  if (res.status !== 0) throw new Error(`the Python SDK's signer failed: ${res.stderr}`);
  return (JSON.parse(res.stdout) as Array<Record<string, string>>).map((h) => h["Authorization"] ?? "");
}
