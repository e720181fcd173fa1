import { strict as assert } from "node:assert";
import * as http from "node:http";
import { servedAs } from "../../emulator/store";
import { builtinImages } from "../../emulator/builtinImages";
import { startEmulator } from "../../emulator/server";
import { canonicalRequest, computeSignature, credentialScope, formatSigningDate, signRequest } from "../../provider/jdcloud/signer";
import { getImage } from "../../sdk/nodejs/getImage";
import { officialVmClient } from "../support/officialSdk";
import { withEmulator } from "../support/world";

/** A raw GET on loopback, returning status, headers and parsed body. */
function rawGet(
  endpoint: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  headers: http.IncomingHttpHeaders;
  body: { requestId?: string; error?: { code: number; status: string; message: string } };
}> {
  return new Promise((resolve, reject) => {
    const req = http.get(endpoint + path, { headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: JSON.parse(text) as { requestId?: string; error?: { code: number; status: string; message: string } },
        }),
      );
    });
    req.on("error", reject);
  });
}

function signed(
  endpoint: string,
  path: string,
  accessKey: string,
  secretKey: string,
  date = new Date(),
  version: 2 | 3 = 2,
): Record<string, string> {
  return signRequest(
    { method: "GET", path, headers: { host: new URL(endpoint).host } },
    { accessKey, secretKey },
    { region: "cn-north-1", service: "vm", date, nonce: "nonce-1", version },
  );
}

/**
 * A request laid out as JD Cloud's Python SDK sends it: JDCLOUD3 over `content-type;host` only,
 * with `x-jdcloud-date` and `x-jdcloud-nonce` added after signing (our JDCLOUD3 canonical form
 * equals the SDK's, by the stored vectors). `scopeDate` overrides the date in the credential scope.
 */
function pythonShaped(
  endpoint: string,
  path: string,
  accessKey: string,
  secretKey: string,
  date = new Date(),
  signed = ["content-type", "host"],
  scopeDate?: string,
): Record<string, string> {
  const datetime = formatSigningDate(date);
  const headers = { host: new URL(endpoint).host, "content-type": "application/json" };
  const { text } = canonicalRequest({ method: "GET", path, headers }, signed, 3);
  const signature = computeSignature(text, { accessKey, secretKey }, datetime, "cn-north-1", "vm", 3);
  const scope = credentialScope(scopeDate ?? datetime.slice(0, 8), "cn-north-1", "vm", 3);
  return {
    ...headers,
    authorization: `JDCLOUD3-HMAC-SHA256 Credential=${accessKey}/${scope}, SignedHeaders=${signed.join(";")}, Signature=${signature}`,
    "x-jdcloud-date": datetime,
    "x-jdcloud-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "JDCLOUD3-HMAC-SHA256": "JDCLOUD3-HMAC-SHA256",
    "x-jdcloud-nonce": "python-nonce-1",
  };
}

describe("emulator against requests laid out as the official Python SDK sends them", () => {
  const world = withEmulator();
  const path = "/v1/regions/cn-north-1/images/img-h8ly274zg9";
  const shaped = (date?: Date, signed?: string[], scopeDate?: string): Record<string, string> =>
    pythonShaped(world.emulator.endpoint, path, world.emulator.accessKey, world.emulator.secretKey, date, signed, scopeDate);

  it("accepts JDCLOUD3 with only content-type and host signed", async () => {
    const res = await rawGet(world.emulator.endpoint, path, shaped());
    assert.equal(res.status, 200);
  });

  const refusals: Array<[string, () => Record<string, string>]> = [
    [
      "a tampered date (unsigned, but in the string to sign)",
      () => ({ ...shaped(), "x-jdcloud-date": formatSigningDate(new Date(Date.now() - 60_000)) }),
    ],
    ["a date 16 minutes old", () => shaped(new Date(Date.now() - 16 * 60_000))],
    ["a date that does not match the credential scope", () => shaped(new Date(), undefined, "20200101")],
    [
      "a missing date",
      () => {
        const { "x-jdcloud-date": _dropped, ...rest } = shaped();
        return rest;
      },
    ],
    ["a malformed date", () => ({ ...shaped(), "x-jdcloud-date": "2026-11-29 10:00:00" })],
    ["a wrong secret key", () => pythonShaped(world.emulator.endpoint, path, world.emulator.accessKey, "WRONGSECRET")],
    ["host left unsigned", () => shaped(new Date(), ["content-type"])],
  ];
  for (const [label, headers] of refusals) {
    it(`refuses ${label} with 401 ACCESS_ERROR`, async () => {
      const res = await rawGet(world.emulator.endpoint, path, headers());
      assert.equal(res.status, 401);
      assert.equal(res.body.error?.status, "ACCESS_ERROR");
    });
  }
});

describe("emulator against the official jdcloud-sdk-js VM client", () => {
  const world = withEmulator();

  it("serves every built-in image to the official describeImage, in every public region", async () => {
    const images = builtinImages();
    assert.ok(images.length >= 24);
    for (const expected of images) {
      const client = officialVmClient(world.emulator.endpoint, world.emulator.accessKey, world.emulator.secretKey);
      const answer = await client.describeImage({ imageId: expected.imageId }, expected.regionId);
      assert.deepEqual(answer.result.image, servedAs(expected, "coc-vm"));
      assert.match(answer.requestId, /^[0-9a-f]{32}$/);
    }
    const statuses = new Set(images.map((i) => i.status));
    assert.ok(statuses.has("pending") && statuses.has("error") && statuses.has("ready"));
    assert.ok(images.some((i) => (i.snapshots ?? []).some((s) => s.diskCategory === "data_disk")));
    assert.ok(new Set(images.map((i) => i.platform)).size >= 3);
  });

  it("refuses the official client with a wrong secret key: 401 ACCESS_ERROR", async () => {
    const client = officialVmClient(world.emulator.endpoint, world.emulator.accessKey, "NOT-THE-SECRET");
    const err = (await client.describeImage({ imageId: "img-m5s0centos8" }, "cn-north-1").then(
      () => assert.fail("expected a refusal"),
      (e: unknown) => e,
    )) as { requestId: string; error: { code: number; status: string } };
    assert.equal(err.error.code, 401);
    assert.equal(err.error.status, "ACCESS_ERROR");
    assert.match(err.requestId, /^[0-9a-f]{32}$/);
  });

  it("answers the official client 404 NOT_FOUND for an unknown image", async () => {
    const client = officialVmClient(world.emulator.endpoint, world.emulator.accessKey, world.emulator.secretKey);
    const err = (await client.describeImage({ imageId: "img-nosuchimage" }, "cn-north-1").then(
      () => assert.fail("expected a 404"),
      (e: unknown) => e,
    )) as { error: { code: number; status: string; message: string } };
    assert.deepEqual(err.error, { code: 404, status: "NOT_FOUND", message: "Image 'img-nosuchimage' not found" });
  });
});

describe("emulator signature checks", () => {
  const world = withEmulator();
  const path = "/v1/regions/cn-north-1/images/img-m5s0centos8";

  it("accepts a correctly signed request, with a request ID in body and header", async () => {
    const res = await rawGet(
      world.emulator.endpoint,
      path,
      signed(world.emulator.endpoint, path, world.emulator.accessKey, world.emulator.secretKey),
    );
    assert.equal(res.status, 200);
    assert.equal(res.headers["x-jdcloud-request-id"], res.body.requestId);
  });

  it("accepts JDCLOUD3 signatures too", async () => {
    const res = await rawGet(
      world.emulator.endpoint,
      path,
      signed(world.emulator.endpoint, path, world.emulator.accessKey, world.emulator.secretKey, new Date(), 3),
    );
    assert.equal(res.status, 200);
  });

  const refusals: Array<[string, () => Record<string, string>]> = [
    ["an unsigned request", () => ({})],
    ["a malformed Authorization", () => ({ authorization: "JDCLOUD2-HMAC-SHA256 nonsense" })],
    ["an unknown access key", () => signed(world.emulator.endpoint, path, "UNKNOWNKEY", world.emulator.secretKey)],
    ["a wrong signature", () => signed(world.emulator.endpoint, path, world.emulator.accessKey, "WRONG")],
    [
      "a missing nonce",
      () => {
        const h = signed(world.emulator.endpoint, path, world.emulator.accessKey, world.emulator.secretKey);
        delete h["x-jdcloud-nonce"];
        return h;
      },
    ],
    [
      "a date 16 minutes old",
      () => signed(world.emulator.endpoint, path, world.emulator.accessKey, world.emulator.secretKey, new Date(Date.now() - 16 * 60_000)),
    ],
    [
      "a date 16 minutes ahead",
      () => signed(world.emulator.endpoint, path, world.emulator.accessKey, world.emulator.secretKey, new Date(Date.now() + 16 * 60_000)),
    ],
    [
      "a tampered date header",
      () => ({
        ...signed(world.emulator.endpoint, path, world.emulator.accessKey, world.emulator.secretKey),
        "x-jdcloud-date": formatSigningDate(new Date(Date.now() - 60_000)),
      }),
    ],
  ];
  for (const [label, headers] of refusals) {
    it(`refuses ${label} with 401 ACCESS_ERROR and JD Cloud's error body`, async () => {
      const res = await rawGet(world.emulator.endpoint, path, headers());
      assert.equal(res.status, 401);
      assert.equal(res.body.error?.status, "ACCESS_ERROR");
      assert.equal(res.body.error?.code, 401);
      assert.match(res.body.requestId ?? "", /^[0-9a-f]{32}$/);
    });
  }

  it("accepts a date 14 minutes off", async () => {
    const res = await rawGet(
      world.emulator.endpoint,
      path,
      signed(world.emulator.endpoint, path, world.emulator.accessKey, world.emulator.secretKey, new Date(Date.now() - 14 * 60_000)),
    );
    assert.equal(res.status, 200);
  });

  it("answers other paths 404 as the gateway does, before checking signatures", async () => {
    const res = await rawGet(world.emulator.endpoint, "/v1/regions/cn-north-1/vpcs");
    assert.equal(res.status, 404);
    assert.ok(res.body.requestId);
    // createInstances is served; describeInstances (GET on the same path) is not.
    assert.equal((await rawGet(world.emulator.endpoint, "/v1/regions/cn-north-1/instances")).status, 405);
  });
});

describe("emulator state changes while running", () => {
  const world = withEmulator();

  it("changes and removes an image while running", async () => {
    assert.equal(world.emulator.updateImage("cn-north-1", "img-m5s0centos8", { status: "error" }), true);
    assert.equal((await getImage({ imageId: "img-m5s0centos8", require: { status: "any" } }, world.opts())).status, "error");
    assert.equal(world.emulator.removeImage("cn-north-1", "img-ubnt2204lts"), true);
    await assert.rejects(getImage({ imageId: "img-ubnt2204lts" }, world.opts()), /has no image 'img-ubnt2204lts'/);
    assert.equal(world.emulator.updateImage("cn-north-1", "img-nothere", { status: "ready" }), false);
  });

  it("applies a fault to the next `times` requests for its image only", async () => {
    world.emulator.inject({ kind: "error", rate: 1, times: 2, imageId: "img-m5s0centos8" });
    await getImage({ imageId: "img-ubnt2204lts" }, world.opts());
    await getImage({ imageId: "img-m5s0centos8" }, world.opts());
    assert.deepEqual(
      world.emulator.requests.map((r) => [r.imageId, r.httpStatus]),
      [
        ["img-ubnt2204lts", 200],
        ["img-m5s0centos8", 500],
        ["img-m5s0centos8", 500],
        ["img-m5s0centos8", 200],
      ],
    );
  });

  it("listens on the port asked and takes given keys", async () => {
    const emulator = await startEmulator({ accessKey: "MYAK", secretKey: "MYSK", images: [] });
    try {
      assert.equal(emulator.accessKey, "MYAK");
      assert.deepEqual(emulator.images(), []);
      assert.match(emulator.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await emulator.close();
    }
  });
});

describe("emulator describeImages against the official jdcloud-sdk-js VM client", () => {
  const world = withEmulator();
  const vm = (): ReturnType<typeof officialVmClient> =>
    officialVmClient(world.emulator.endpoint, world.emulator.accessKey, world.emulator.secretKey);

  it("pages newest first with totalCount, as the SDK asks for them", async () => {
    const first = await vm().describeImages({ imageSource: "public", pageSize: 10, pageNumber: 1 }, "cn-north-1");
    assert.equal(first.result.totalCount, 5);
    assert.deepEqual(
      first.result.images.map((i) => i["imageId"]),
      ["img-ubnt2404lts", "img-ubnt2204lts", "img-win2019dc64", "img-m5s0centos8", "img-ubnt2004lts"],
    );
    const second = await vm().describeImages({ imageSource: "public", pageSize: 10, pageNumber: 2 }, "cn-north-1");
    assert.deepEqual(second.result.images, []);
    assert.equal(second.result.totalCount, 5);
  });

  it("filters by ids (sent as ids.1, ids.2), without imageSource", async () => {
    const found = await vm().describeImages({ ids: ["img-h8ly274zg9", "img-comm0alice1", "img-nosuchimage1"] }, "cn-north-1");
    assert.deepEqual(found.result.images.map((i) => i["imageId"]).sort(), ["img-comm0alice1", "img-h8ly274zg9"]);
  });

  for (const [label, opts, status, message] of [
    ["no imageSource and no ids", {}, "FAILED_PRECONDITION", "Parameter ImageSource missing"],
    ["a page size under 10", { imageSource: "public", pageSize: 5 }, "OUT_OF_RANGE", "PageSize out of range"],
    ["a page size over 100", { imageSource: "public", pageSize: 101 }, "OUT_OF_RANGE", "PageSize out of range"],
  ] as const) {
    it(`answers ${label} with 400 ${status}, as JD Cloud does`, async () => {
      const err = (await vm()
        .describeImages(opts, "cn-north-1")
        .then(
          () => undefined,
          (e: unknown) => e,
        )) as { error?: { code: number; status: string; message: string } } | undefined;
      assert.deepEqual(err?.error, { code: 400, status, message });
    });
  }
});
