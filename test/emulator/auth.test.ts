/** The emulator's signature checks as a function: parsing `Authorization`, and verifying against keys. */
import { strict as assert } from "node:assert";
import { parseAuthorization, verifyRequest } from "../../emulator/auth";
import { signRequest } from "../../provider/jdcloud/signer";

describe("emulator auth", () => {
  it("parses an Authorization header into its parts", () => {
    const parsed = parseAuthorization(
      "JDCLOUD2-HMAC-SHA256 Credential=AK/20261128/cn-north-1/vm/jdcloud2_request, SignedHeaders=host;x-jdcloud-date, Signature=" +
        "a".repeat(64),
    );
    assert.deepEqual(parsed?.signedHeaders, ["host", "x-jdcloud-date"]);
    assert.equal(parsed?.region, "cn-north-1");
    assert.equal(parsed?.terminator, "jdcloud2_request");
  });

  it("reads nothing from what is not a JD Cloud Authorization header", () => {
    for (const header of [
      undefined,
      "",
      "Bearer xyz",
      "JDCLOUD2-HMAC-SHA256 Credential=AK, Signature=abc",
      `JDCLOUD2-HMAC-SHA256 Credential=AK/2026/cn-north-1/vm/x, SignedHeaders=host, Signature=${"a".repeat(64)}`,
    ]) {
      assert.equal(parseAuthorization(header), undefined, String(header));
    }
  });

  it("verifies a signed request against its key, and names what is wrong otherwise", () => {
    const now = new Date("2026-11-28T06:43:05Z");
    const headers = signRequest(
      { method: "GET", path: "/v1/regions/cn-north-1/images/img-a", headers: { host: "h" } },
      { accessKey: "AK", secretKey: "SK" },
      { region: "cn-north-1", service: "vm", date: now, nonce: "n" },
    );
    const request = { method: "GET", path: "/v1/regions/cn-north-1/images/img-a", query: "", headers, body: "" };
    assert.deepEqual(verifyRequest(request, new Map([["AK", "SK"]]), now), { ok: true, accessKey: "AK" });
    assert.deepEqual(verifyRequest(request, new Map([["AK", "OTHER"]]), now), { ok: false, message: "Signature does not match" });
    assert.deepEqual(verifyRequest(request, new Map(), now), { ok: false, message: "Unknown access key AK" });
    const algorithm = verifyRequest(
      { ...request, headers: { ...headers, authorization: headers["authorization"]?.replace("JDCLOUD2", "JDCLOUD9") ?? "" } },
      new Map([["AK", "SK"]]),
      now,
    );
    assert.equal(algorithm.ok, false);
  });
});
