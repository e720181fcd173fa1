import { strict as assert } from "node:assert";
import { canonicalQuery, encodePath, formatSigningDate, parseSigningDate, signRequest, uriEscape } from "../../../provider/jdcloud/signer";
import { parseAuthorization } from "../../../emulator/auth";
import { officialSignature, OracleInput } from "../../support/officialSdk";
import { V2_CASES } from "../../support/signingCases";

/** Signs with ours what the official SDK built, and compares the Authorization headers. */
function compare(input: OracleInput, securityToken?: string): void {
  const oracle = officialSignature(input);
  const ours = signRequest(
    {
      method: "GET",
      path: oracle.path,
      query: oracle.query,
      headers: Object.fromEntries(
        Object.entries(oracle.headers).filter(([k]) => !["x-jdcloud-date", "x-jdcloud-nonce", "x-jdcloud-security-token"].includes(k)),
      ),
    },
    { accessKey: input.accessKey, secretKey: input.secretKey, ...(securityToken ? { securityToken } : {}) },
    { region: input.regionId, service: input.service, date: parseSigningDate(input.datetime) as Date, nonce: input.nonce },
  );
  assert.equal(ours["authorization"], oracle.authorization);
}

describe("signer (JDCLOUD2-HMAC-SHA256) against the official jdcloud-sdk-js", () => {
  for (const { name, input, securityToken } of V2_CASES) {
    it(`signs ${name} exactly as the SDK does`, () => {
      compare(input, securityToken);
    });
  }

  it("gives a different signature for a different nonce, date or secret", () => {
    const sign = (nonce: string, date: string, secretKey: string): string | undefined =>
      signRequest(
        { method: "GET", path: "/v1/x", headers: { host: "h" } },
        { accessKey: "AK", secretKey },
        { region: "cn-north-1", service: "vm", date: parseSigningDate(date) as Date, nonce },
      )["authorization"];
    const a = sign("n1", "20261128T000000Z", "S1");
    assert.notEqual(a, sign("n2", "20261128T000000Z", "S1"));
    assert.notEqual(a, sign("n1", "20261128T000001Z", "S1"));
    assert.notEqual(a, sign("n1", "20261128T000000Z", "S2"));
  });

  it("never puts the secret key in any header", () => {
    const headers = signRequest(
      { method: "GET", path: "/v1/x", headers: { host: "h" } },
      { accessKey: "AK", secretKey: "TOPSECRETVALUE" },
      { region: "cn-north-1", service: "vm", date: new Date(0), nonce: "n" },
    );
    assert.ok(!JSON.stringify(headers).includes("TOPSECRETVALUE"));
  });

  it("signs with JDCLOUD3 when asked, with its own algorithm and scope", () => {
    const headers = signRequest(
      { method: "GET", path: "/v1/x", headers: { host: "h" } },
      { accessKey: "AK", secretKey: "S" },
      { region: "cn-north-1", service: "vm", date: new Date(0), nonce: "n", version: 3 },
    );
    const parsed = parseAuthorization(headers["authorization"]);
    assert.equal(parsed?.algorithm, "JDCLOUD3-HMAC-SHA256");
    assert.equal(parsed?.terminator, "jdcloud3_request");
  });
});

describe("signer helpers", () => {
  it("formats and parses x-jdcloud-date", () => {
    assert.equal(formatSigningDate(new Date("2026-11-28T06:43:05.123Z")), "20261128T064305Z");
    assert.equal(parseSigningDate("20261128T064305Z")?.toISOString(), "2026-11-28T06:43:05.000Z");
    assert.equal(parseSigningDate("2026-11-28"), undefined);
  });

  it("escapes as RFC 3986 and keeps path slashes", () => {
    assert.equal(uriEscape("a b!'()*~"), "a%20b%21%27%28%29%2A~");
    assert.equal(encodePath("/v1/regions/cn-north-1/images/img 1"), "/v1/regions/cn-north-1/images/img%201");
  });

  it("sorts query names and repeated values", () => {
    assert.equal(canonicalQuery("b=2&a=1&a=0&c"), "a=0&a=1&b=2&c=");
    assert.equal(canonicalQuery(""), "");
  });
});
