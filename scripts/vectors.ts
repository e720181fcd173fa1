/**
 * npm run vectors — captures the signature test vectors from the official SDKs: JDCLOUD2 from
 * `jdcloud-sdk-js` (a dev dependency), JDCLOUD3 from JD Cloud's Python SDK (installed from PyPI
 * into the cache). Writes test/vectors/jdcloud{2,3}.json; `npm test` replays them against our
 * signer, and the interop suite checks that the SDKs still sign them so.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { officialSignature } from "../test/support/officialSdk";
import { V2_CASES, V3_CASES, pythonV3Authorizations } from "../test/support/signingCases";
import { writeVectors, SignatureVector } from "../test/support/vectors";
import { REPO_ROOT, TOOLCHAIN, pythonSdkEnv, runScript } from "./toolchain";

function main(): number {
  const jsSdk = (
    JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules", "jdcloud-sdk-js", "package.json"), "utf8")) as { version: string }
  ).version;
  const v2: SignatureVector[] = V2_CASES.map(({ name, input, securityToken }) => {
    const oracle = officialSignature(input);
    const headers = Object.fromEntries(
      Object.entries(oracle.headers).filter(
        ([k]) => !["x-jdcloud-date", "x-jdcloud-nonce", "x-jdcloud-security-token", "authorization"].includes(k),
      ),
    );
    return {
      name,
      version: 2,
      request: { method: "GET", path: oracle.path, query: oracle.query, headers },
      accessKey: input.accessKey,
      secretKey: input.secretKey,
      ...(securityToken ? { securityToken } : {}),
      region: input.regionId,
      service: input.service,
      datetime: input.datetime,
      nonce: input.nonce,
      authorization: oracle.authorization,
    };
  });
  const python = path.join(pythonSdkEnv(), "python");
  const authorizations = pythonV3Authorizations(python, V3_CASES);
  const v3: SignatureVector[] = V3_CASES.map((c, i) => ({
    name: c.name,
    version: 3,
    request: {
      method: c.method,
      path: c.path,
      query: c.query,
      headers: { host: new URL(c.origin).host, "content-type": "application/json" },
    },
    accessKey: c.accessKey,
    secretKey: c.secretKey,
    ...(c.securityToken ? { securityToken: c.securityToken } : {}),
    region: c.region,
    service: c.service,
    datetime: c.datetime,
    nonce: c.nonce,
    authorization: authorizations[i] ?? "",
  }));
  writeVectors(2, `jdcloud-sdk-js ${jsSdk} (src/lib/signers/v2.js)`, v2);
  writeVectors(3, `jdcloud-sdk ${TOOLCHAIN.jdcloudPythonSdk} from PyPI (jdcloud_sdk/core/signer.py)`, v3);
  process.stdout.write(`vectors: wrote ${v2.length} JDCLOUD2 and ${v3.length} JDCLOUD3 vectors to test/vectors\n`);
  return 0;
}

runScript("vectors", main);
