/**
 * The hostile-input contract as properties (fast-check): random arguments, options and server
 * answers give either a valid Image or one of our typed errors — never a crash, a request for
 * input that was refused, or a secret or signature in any error text.
 */
import { strict as assert } from "node:assert";
import * as http from "node:http";
import fc from "fast-check";
import { clearImageCache } from "../provider/jdcloud/client";
import { InvalidArgumentError, JdcloudImageError } from "../provider/jdcloud/errors";
import { getImage } from "../sdk/nodejs/getImage";
import { builtinImages } from "../emulator/builtinImages";
import { startEmulator } from "../emulator/server";
import { Scripted, scripted } from "./support/scripted";

const SECRET = "PROPERTYSECRETKEY0123";
const KEYS = { accessKey: "PROPAK", secretKey: SECRET, maxRetries: 0, timeoutMs: 2_000 };
const GOOD = builtinImages().find((i) => i.regionId === "cn-north-1");
if (!GOOD) throw new Error("the built-in images have one in cn-north-1");
// PROPERTY_RUNS=2000 for a deeper search than the default, which keeps `npm test` fast.
const RUNS = Number(process.env["PROPERTY_RUNS"] ?? 120);

/** What the scripted server sends next. */
interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Send only this share of the body, then drop the connection. */
  cut?: number;
}

/** Checks the error contract every property shares; returns the error for more checks. */
function typedAndClean(err: unknown, signatures: readonly string[]): JdcloudImageError {
  assert.ok(err instanceof JdcloudImageError, `not one of our errors: ${String(err)}`);
  assert.ok(!err.message.includes(SECRET), err.message);
  for (const signature of signatures) assert.ok(!err.message.includes(signature), `a signature in: ${err.message}`);
  // eslint-disable-next-line no-control-regex -- no control character may reach a message
  assert.doesNotMatch(err.message, /[\u0000-\u001f\u007f]/, "control characters in the message");
  assert.ok(err.message.length < 2_000, `a message of ${err.message.length} characters`);
  return err;
}

describe("properties of every lookup", function () {
  this.timeout(120_000);
  let server: Scripted;
  let next: Answer = { status: 200, headers: {}, body: "{}" };
  const signatures: string[] = [];

  before(async () => {
    server = await scripted((req: http.IncomingMessage, res: http.ServerResponse) => {
      const signature = /Signature=([0-9a-f]+)/.exec(String(req.headers.authorization))?.[1];
      if (signature) signatures.push(signature);
      const body = Buffer.from(next.body, "utf8");
      try {
        res.writeHead(next.status, { "content-length": String(body.length), ...next.headers });
      } catch {
        // A header value Node itself refuses to send: answer without it.
        res.writeHead(next.status, { "content-length": String(body.length) });
      }
      if (next.cut === undefined) return void res.end(body);
      res.write(body.subarray(0, Math.floor(body.length * next.cut)));
      setImmediate(() => res.destroy());
    });
  });
  after(() => server.close());
  afterEach(() => clearImageCache());

  it("random arguments: a valid image or a typed error, and no request for refused input", async () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc.constantFrom("img-h8ly274zg9", GOOD.imageId, "cn-north-1", "__proto__", "../x", "a/b?c#d"),
    );
    const requirement = fc.dictionary(
      fc.oneof(fc.constantFrom("osType", "platform", "architecture", "status", "maxSystemDiskSizeGB", "imageSource"), fc.string()),
      fc.oneof(text, fc.integer(), fc.array(text, { maxLength: 3 }), fc.constant(null)),
    );
    const args = fc.record(
      {
        imageId: fc.oneof(text, fc.integer(), fc.constant(undefined)),
        regionId: fc.oneof(text, fc.constant(undefined)),
        require: requirement,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(args, async (given) => {
        clearImageCache();
        next = { status: 200, headers: {}, body: JSON.stringify({ requestId: "r1", result: { image: GOOD } }) };
        const before = server.requests.length;
        try {
          const image = await getImage(given as never, { ...KEYS, endpoint: server.endpoint, region: "cn-north-1" });
          assert.equal(image.imageId, GOOD.imageId);
        } catch (err) {
          const typed = typedAndClean(err, signatures);
          if (typed instanceof InvalidArgumentError) assert.equal(server.requests.length, before, "a request for refused input");
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("a lookup repeated in the same turn with the same options ends as the same lookup made afresh", async () => {
    const regionId = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom("cn-north-1", "cn-east-1", "", "CN-NORTH-1", " cn-north-1"),
      fc.string(),
    );
    const extra = fc.dictionary(
      fc.oneof(fc.constantFrom("require", "regoinId", "imageID", "__proto__", "constructor", "toString"), fc.string()),
      fc.oneof(fc.string(), fc.integer(), fc.constant(undefined), fc.constant(null), fc.constant({ osType: "windows" })),
      { maxKeys: 2 },
    );
    const outcome = (lookup: Promise<{ imageId: string; regionId: string }>): Promise<string> =>
      lookup.then(
        (image) => `image ${image.imageId} in ${image.regionId}`,
        (err: unknown) => `${(err as Error).name}: ${(err as Error).message}`,
      );
    await fc.assert(
      fc.asyncProperty(fc.array(regionId, { maxLength: 3 }), regionId, extra, async (seeds, region, more) => {
        clearImageCache();
        next = { status: 200, headers: {}, body: JSON.stringify({ requestId: "r1", result: { image: GOOD } }) };
        const opts = { ...KEYS, endpoint: server.endpoint, region: "cn-north-1" };
        // Plain lookups of the image first (valid or not), then the one under test, all in this turn.
        const seeded = Promise.allSettled([
          getImage({ imageId: GOOD.imageId }, opts),
          ...seeds.map((r) => getImage({ imageId: GOOD.imageId, regionId: r }, opts)),
        ]);
        const args = { imageId: GOOD.imageId, ...(region === undefined ? {} : { regionId: region }), ...more };
        const repeated = outcome(getImage(args, opts));
        const afresh = outcome(getImage(args, { ...opts }));
        assert.equal(await repeated, await afresh);
        await seeded;
      }),
      { numRuns: RUNS },
    );
  });

  it("random options: a valid image or a typed error that never shows a secret", async () => {
    // Any field may hold any value; the secret fields also hold secrets (with a character that
    // makes them invalid, so the error about them is the one that must not show them).
    const value = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.integer(), fc.boolean(), fc.constant(null));
    const secret = fc.constantFrom(SECRET, `${SECRET} `, `${SECRET}\u00e9`, `\n${SECRET}`);
    const options = fc
      .tuple(
        fc.dictionary(
          fc.oneof(fc.constantFrom("endpoint", "accessKey", "region", "signingService", "timeoutMs", "maxRetries"), fc.string()),
          value,
          { maxKeys: 4 },
        ),
        fc.record({ secretKey: fc.oneof(secret, value), securityToken: fc.oneof(secret, value) }, { requiredKeys: [] }),
      )
      .map(([plain, secrets]) => ({ ...plain, ...secrets }));
    await fc.assert(
      fc.asyncProperty(options, async (extra) => {
        clearImageCache();
        next = { status: 200, headers: {}, body: JSON.stringify({ requestId: "r1", result: { image: GOOD } }) };
        const before = server.requests.length;
        try {
          const image = await getImage({ imageId: GOOD.imageId }, {
            ...KEYS,
            endpoint: server.endpoint,
            region: "cn-north-1",
            ...extra,
          } as never);
          assert.equal(image.imageId, GOOD.imageId);
        } catch (err) {
          const typed = typedAndClean(err, signatures);
          if (typed instanceof InvalidArgumentError) assert.equal(server.requests.length, before, "a request for refused options");
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("random answers: a valid image or a typed error, cleaned, and the server asked once", async () => {
    const image = fc.record({
      ...Object.fromEntries(Object.entries(GOOD).map(([k, v]) => [k, fc.oneof(fc.constant(v), fc.anything())])),
    });
    const body = fc.oneof(
      image.map((i) => JSON.stringify({ requestId: "r2", result: { image: i } })),
      fc
        .record({ code: fc.integer(), status: fc.string({ unit: "binary" }), message: fc.string({ unit: "binary", maxLength: 3000 }) })
        .map((e) => JSON.stringify({ requestId: "r3", error: e })),
      fc.json(),
      fc.string({ unit: "binary" }),
      fc.constant(JSON.stringify({ result: { image: GOOD } })),
    );
    const answer = fc
      .record(
        {
          status: fc.integer({ min: 200, max: 599 }),
          headers: fc.record(
            {
              "x-jdcloud-request-id": fc.string({ unit: "binary", maxLength: 200 }),
              "retry-after": fc.oneof(fc.string(), fc.nat().map(String)),
              "content-type": fc.string(),
            },
            { requiredKeys: [] },
          ),
          body,
          cut: fc.option(fc.double({ min: 0, max: 0.99, noNaN: true }), { nil: undefined }),
        },
        { requiredKeys: ["status", "headers", "body"] },
      )
      // 204, 205 and 304 answers have no body to cut: the client is done at the headers, and the
      // connection the server then drops may already carry the next request.
      .map((a) => ([204, 205, 304].includes(a.status) ? { ...a, cut: undefined } : a));
    await fc.assert(
      fc.asyncProperty(answer, async (given) => {
        clearImageCache();
        next = given;
        const before = server.requests.length;
        try {
          const found = await getImage(
            { imageId: GOOD.imageId, regionId: "cn-north-1", require: { status: "any" } },
            { ...KEYS, endpoint: server.endpoint },
          );
          assert.equal(found.imageId, GOOD.imageId);
          assert.equal(typeof found.systemDiskSizeGB, "number");
        } catch (err) {
          typedAndClean(err, signatures);
        }
        // maxRetries 0: exactly one request, whatever came back (a 429 with Retry-After included).
        assert.equal(server.requests.length, before + 1);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("properties of the emulator", function () {
  this.timeout(120_000);

  it("random requests: a JD Cloud-shaped answer under 500, and it keeps serving", async () => {
    const emulator = await startEmulator({ accessKey: "EMUAK", secretKey: "EMUSK" });
    try {
      const { hostname, port } = new URL(emulator.endpoint);
      const segment = fc.oneof(
        fc.string(),
        fc.constantFrom("v1", "regions", "cn-north-1", "images", "img-h8ly274zg9", "%", "%E0%A4%A", "..", "__proto__"),
      );
      const authorization = fc.oneof(
        fc.string(),
        fc
          .tuple(
            fc.constantFrom("JDCLOUD2-HMAC-SHA256", "JDCLOUD3-HMAC-SHA256", "X"),
            fc.constantFrom("EMUAK", "OTHER", ""),
            fc.array(fc.oneof(fc.string(), fc.constantFrom("host", "toString", "__proto__", "x-jdcloud-date")), { maxLength: 5 }),
            fc.string(),
          )
          .map(
            ([alg, ak, signed, sig]) =>
              `${alg} Credential=${ak}/20260101/cn-north-1/vm/jdcloud2_request, SignedHeaders=${signed.join(";")}, Signature=${sig}`,
          ),
      );
      const request = fc.record({
        method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"),
        path: fc
          .array(segment, { maxLength: 6 })
          .map((parts) => "/" + parts.map((p) => (/^[\x21-\x7e]*$/.test(p) && !/[?#]/.test(p) ? p : encodeURIComponent(p))).join("/")),
        query: fc.option(fc.string().map(encodeURIComponent), { nil: undefined }),
        authorization: fc.option(authorization, { nil: undefined }),
        date: fc.option(fc.oneof(fc.string(), fc.constant(new Date().toISOString().replace(/[-:]|\.\d{3}/g, ""))), { nil: undefined }),
        body: fc.option(fc.string({ maxLength: 2000 }), { nil: undefined }),
      });
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          const headers: Record<string, string> = { "x-jdcloud-nonce": "n" };
          // Node refuses to send some header values at all; those never reach a server.
          if (r.authorization !== undefined && /^[\x20-\x7e]*$/.test(r.authorization)) headers["authorization"] = r.authorization;
          if (r.date !== undefined && /^[\x20-\x7e]*$/.test(r.date)) headers["x-jdcloud-date"] = r.date;
          // A body always with its length: Node frames none for GET or HEAD, and unframed bytes
          // would be a second (malformed) request on the connection, answered separately.
          if (r.body !== undefined) headers["content-length"] = String(Buffer.byteLength(r.body));
          const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
            const req = http.request(
              { hostname, port, method: r.method, path: r.path + (r.query ? `?${r.query}` : ""), headers },
              (res) => {
                let body = "";
                res.setEncoding("utf8");
                res.on("data", (c: string) => (body += c));
                res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
              },
            );
            req.on("error", reject);
            req.end(r.body);
          });
          assert.ok(answer.status >= 200 && answer.status < 500, `answered ${answer.status}: ${answer.body}`);
          if (r.method !== "HEAD" && answer.status >= 400) {
            const parsed = JSON.parse(answer.body) as { requestId?: unknown; error?: { status?: unknown } };
            assert.equal(typeof parsed.requestId, "string");
            assert.equal(typeof parsed.error?.status, "string");
          }
        }),
        { numRuns: RUNS },
      );
      const image = await getImage(
        { imageId: "img-h8ly274zg9", regionId: "cn-north-1" },
        { endpoint: emulator.endpoint, accessKey: "EMUAK", secretKey: "EMUSK" },
      );
      assert.equal(image.imageId, "img-h8ly274zg9");
    } finally {
      await emulator.close();
    }
  });
});
