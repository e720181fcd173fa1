/**
 * Hostile servers and inputs, round two (issue 24's table, by row): no injection, no freeze, no
 * unbounded trust. Each row is a class; each test is one instance of it, over real HTTP.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { inspect } from "node:util";
import type * as http from "node:http";
import fc from "fast-check";
import * as grpc from "@grpc/grpc-js";
import { builtinImages } from "../emulator/builtinImages";
import { startEmulator } from "../emulator/server";
import { search } from "../provider/imageProvider";
import { clearImageCache, describeImage } from "../provider/jdcloud/client";
import * as errors from "../provider/jdcloud/errors";
import { InvalidArgumentError, InvalidResponseError, JdcloudImageError, MESSAGE_MAX } from "../provider/jdcloud/errors";
import { resolveSettings } from "../provider/jdcloud/settings";
import { parseRetryAfter } from "../provider/jdcloud/transport";
import { parseCreateTime } from "../provider/search";
import { findImage, getImage, getImages } from "../sdk/nodejs";
import { envWithoutJdcloud } from "../scripts/toolchain";
import { call, configureRequest, message, secret, startProvider, struct, toJs } from "./support/grpcProvider";
import { REPO_ROOT } from "./support/providerText";
import { Scripted, scripted } from "./support/scripted";
import { emulatorEnvironment, thrown, withEmulator } from "./support/world";

const REGION = "cn-north-1";
const KEYS = { accessKey: "AK", secretKey: "SK" };
const BASE = builtinImages().find((i) => i.regionId === REGION && i.imageId === "img-ubnt2204lts");
if (!BASE) throw new Error("the built-in images have Ubuntu 22.04 in cn-north-1");
const { regionId: _region, ...API_BASE } = BASE;

/** No control or invisible reordering character, and bounded. */
// eslint-disable-next-line no-control-regex -- finding them is the point
const UNCLEAN = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
function assertClean(text: string, max = MESSAGE_MAX + 200): void {
  assert.doesNotMatch(text, UNCLEAN, `unclean: ${JSON.stringify(text.slice(0, 200))}`);
  assert.ok(text.length <= max, `${text.length} characters`);
}

// eslint-disable-next-line no-control-regex -- finding them is the point
const INSPECT_UNCLEAN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

/** What `util.inspect` prints of an error (Pulumi prints a failed program's error so): bounded, no control character but its own line breaks. */
function assertCleanInspect(err: Error, max: number): void {
  const text = inspect(err, { depth: 4 });
  assert.doesNotMatch(text, INSPECT_UNCLEAN, JSON.stringify(text.slice(0, 300)));
  assert.ok(text.length <= max, `${text.length} characters`);
}

/** A JD Cloud-shaped page of describeImages. */
function page(res: http.ServerResponse, images: readonly object[], totalCount: number): void {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ requestId: "page-request", result: { images, totalCount } }));
}

const image = (imageId: string, extra: Record<string, unknown> = {}): object => ({ ...API_BASE, imageId, ...extra });

describe("hostile round two: server text reaches an error only cleaned (row 1)", () => {
  const hostile = ["x\r\n\u001b[32mOK", "\u202eevil\u2066", `${"A".repeat(1024 * 1024)}\u001b[0m`];

  for (const status of hostile) {
    it(`row 1: an image whose status is ${JSON.stringify(status.slice(0, 12))}… fails the default status check with one clean, bounded line`, async () => {
      const emulator = await startEmulator({ images: [{ ...BASE, imageId: "img-hostile1", status }] });
      try {
        clearImageCache();
        const opts = { endpoint: emulator.endpoint, accessKey: emulator.accessKey, secretKey: emulator.secretKey, region: REGION };
        const err = await thrown(() => getImage({ imageId: "img-hostile1" }, opts));
        assert.ok(err instanceof errors.ImageRequirementError, String(err));
        assertClean(err.message, MESSAGE_MAX);
        assert.match(err.message, /status wanted 'ready', found '/);
        assertCleanInspect(err, 5000);
        assert.ok(typeof err.misses[0]?.found === "string" && err.misses[0].found.length <= 200);
      } finally {
        await emulator.close();
      }
    });
  }

  it("row 1: candidates of an ambiguous match and names in no-match summaries are cleaned", async () => {
    const names = ["Ubuntu \u001b[31mred", "Ubuntu\r\nsecond line", "Ubuntu \u202eexe.gpj"];
    const server = await scripted((_req, res) =>
      page(
        res,
        names.map((name, i) => image(`img-amb${i}`, { name, createTime: `2026-01-0${i + 1} 00:00:00\u001b[1m`.slice(0, 19) })),
        names.length,
      ),
    );
    try {
      clearImageCache();
      const err = await thrown(() =>
        findImage({ imageSource: "public", regionId: REGION }, { ...KEYS, endpoint: server.endpoint, maxRetries: 0 }),
      );
      assert.ok(err instanceof errors.AmbiguousImageMatchError, String(err));
      assertClean(err.message);
      for (const c of err.candidates) assertClean(c.name, 200);
      assertCleanInspect(err, 5000);
    } finally {
      await server.close();
    }
  });

  it("row 1: every error class, built with hostile values in every field, has a clean bounded message and fields", () => {
    const evil = `\u001b[31m${"\r\n\u202e".repeat(20)}${"Z".repeat(200_000)}`;
    const target = { regionId: evil, imageId: evil, requestId: evil };
    const api = { ...target, httpStatus: 500, status: evil, apiMessage: evil, retryable: true, operation: evil };
    const built: JdcloudImageError[] = [
      new errors.JdcloudImageError(evil, target),
      new errors.InvalidArgumentError(evil, evil, evil, target, evil),
      new errors.MissingCredentialsError([evil], target),
      new errors.JdcloudApiError(api),
      new errors.ImageNotFoundError(api),
      new errors.UnconfirmedAbsenceError(target, true, evil),
      new errors.AuthenticationError(api, evil),
      new errors.ThrottledError({ ...api, retryAfterSeconds: 3 }),
      new errors.NetworkError(evil, target, 2, false, new Error(evil)),
      new errors.CertificateError(evil, target, evil, new Error(evil)),
      new errors.InvalidResponseError(target, 200, evil, evil, evil),
      new errors.ImageRequirementError(target, [{ field: "status", wanted: [evil, evil], found: evil }]),
      new errors.NoImageMatchError({ regionId: evil, criteria: evil }, 3, [{ criterion: evil, removed: 1 }]),
      new errors.AmbiguousImageMatchError({ regionId: evil, criteria: evil }, 9, [{ imageId: evil, name: evil, createTime: evil }]),
      new errors.ImageGuardError({ resourceName: evil, resourceType: evil, path: evil }, new errors.ImageNotFoundError(api), target),
    ];
    const classes = Object.values(errors).filter(
      (v): v is typeof JdcloudImageError =>
        typeof v === "function" && (v === JdcloudImageError || v.prototype instanceof JdcloudImageError),
    );
    assert.deepEqual(new Set(built.map((e) => e.constructor)), new Set(classes), "a test for every error class");
    for (const err of built) {
      assertClean(err.message, MESSAGE_MAX);
      assertClean(String(err.stack), MESSAGE_MAX + 40);
      assertCleanInspect(err, 20_000);
    }
  });
});

describe("hostile round two: regular expressions cannot freeze the process (rows 2 and 11)", function () {
  // A backtracking engine takes 24 s on the first case here; RE2 is linear. The time-out only
  // stops a hang from hanging the suite: nothing here asserts a duration.
  this.timeout(10_000);
  const world = withEmulator({
    images: [
      { ...BASE, imageId: "img-evilname1", imageSource: "community", name: `Ubuntu ${"1".repeat(28)} LTS!` },
      { ...BASE, imageId: "img-goodname1", imageSource: "community", name: "Ubuntu 22.04 LTS" },
      { ...BASE, imageId: "img-evilname2", imageSource: "community", name: `${"a".repeat(40)}!` },
    ],
  });

  it("row 2: a nested quantifier against a stranger's crafted name finishes, matching the whole name only", async () => {
    const found = await getImages({ imageSource: "community", nameRegex: "Ubuntu (\\d+\\.?)+ LTS" }, world.opts());
    assert.deepEqual(found.ids, ["img-goodname1"]);
    const again = await getImages({ imageSource: "community", nameRegex: "(a|a)*(a|aa)*b" }, world.opts());
    assert.deepEqual(again.ids, []);
  });

  it("row 2: backreferences and lookaround are refused before any request, in one sentence naming RE2", async () => {
    for (const nameRegex of ["(a)\\1", "Ubuntu(?=22)", "(?<!x)y"]) {
      const err = await thrown(() => getImages({ imageSource: "community", nameRegex }, world.opts()));
      assert.ok(err instanceof InvalidArgumentError, String(err));
      assert.equal(err.argument, "criteria.nameRegex");
      assert.match(err.message, /not a regular expression in RE2 syntax/);
    }
    assert.equal(world.emulator.requests.length, 0);
  });

  it("row 11: a 50,000-character pattern is refused before any request with a bounded sentence, and fails ImageSearch's check instead of throwing", async () => {
    const nameRegex = `(${"x".repeat(50_000)}`;
    const err = await thrown(() => getImages({ imageSource: "community", nameRegex }, world.opts()));
    assert.ok(err instanceof InvalidArgumentError, String(err));
    assert.ok(err.message.length < 600, `${err.message.length} characters`);
    assert.equal(world.emulator.requests.length, 0);
    const saved = process.env;
    process.env = {
      ...saved,
      JDCLOUD_ENDPOINT: world.emulator.endpoint,
      JDCLOUD_ACCESS_KEY: world.emulator.accessKey,
      JDCLOUD_SECRET_KEY: world.emulator.secretKey,
    };
    try {
      const checked = await search.check({}, { criteria: { imageSource: "community", regionId: REGION, nameRegex } });
      assert.equal(checked.failures.length, 1);
      assert.match(checked.failures[0]?.reason ?? "", /^Invalid criteria\.nameRegex/);
      const broken = await search.check({}, { criteria: { imageSource: "community", regionId: REGION, nameRegex: "((" } });
      assert.match(broken.failures[0]?.reason ?? "", /RE2 syntax/);
    } finally {
      process.env = saved;
    }
    assert.equal(world.emulator.requests.length, 0);
  });
});

describe("hostile round two: pages are trusted no further than what was asked (rows 3 and 4)", () => {
  let server: Scripted | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    clearImageCache();
  });
  const opts = (endpoint: string, extra: object = {}) => ({ ...KEYS, endpoint, region: REGION, maxRetries: 0, ...extra });

  it("row 3: a page of 200 images for a page size of 100 and a totalCount of 50 is refused (10,000 outgrow the page cap, below)", async () => {
    server = await scripted((_req, res) =>
      page(
        res,
        Array.from({ length: 200 }, (_, i) => image(`img-flood${i}`)),
        50,
      ),
    );
    const err = await thrown(() => getImages({ imageSource: "public", maxResults: 100 }, opts(server!.endpoint)));
    assert.ok(err instanceof InvalidResponseError, String(err));
    assert.equal(err.path, "result.images");
    assert.match(err.message, /has 200 images on page 1, more than the 50/);
  });

  it("row 3: a server that ignores pageNumber gives an error, never a partial catalogue for mostRecent to pick from", async () => {
    server = await scripted((_req, res) =>
      page(
        res,
        Array.from({ length: 100 }, (_, i) => image(`img-same${i}`)),
        300,
      ),
    );
    const err = await thrown(() => findImage({ imageSource: "public", select: "mostRecent" }, opts(server!.endpoint)));
    assert.ok(err instanceof JdcloudImageError, String(err));
    assert.match(err.message, /did not add up twice .*100 distinct images in 3 pages/);
    assert.equal(server.requests.length, 6, "two scans of three pages, no more");
  });

  it("row 3: a page over the page cap is aborted unread (a few KB an image, 2 MiB a page)", async () => {
    const big = "d".repeat(1024);
    server = await scripted((_req, res) =>
      page(
        res,
        Array.from({ length: 100 }, (_, i) => image(`img-big${i}`, { desc: big.repeat(30) })),
        100,
      ),
    );
    const err = await thrown(() => getImages({ imageSource: "public" }, opts(server!.endpoint)));
    assert.ok(err instanceof InvalidResponseError, String(err));
    assert.match(err.message, /larger than 2097152 bytes/);
  });

  it("row 4: when a page fails, the scan stops every other page: none is sent after it", async () => {
    let failedAt = -1;
    server = await scripted((req, res) => {
      const n = Number(new URL(req.url ?? "/", "http://x").searchParams.get("pageNumber"));
      if (n === 2) {
        failedAt = server?.requests.length ?? -1;
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ requestId: "bad-page", error: { code: 400, status: "INVALID_ARGUMENT", message: "bad page" } }));
        return;
      }
      // The other pages are slow, so that they are still queued or under way when page 2 fails.
      setTimeout(() => page(res, n === 1 ? Array.from({ length: 100 }, (_, i) => image(`img-p${n}x${i}`)) : [], 99_999), n === 1 ? 0 : 300);
    });
    const err = await thrown(() => getImages({ imageSource: "public", maxResults: 100_000 }, opts(server!.endpoint)));
    assert.ok(err instanceof errors.JdcloudApiError && err.httpStatus === 400, String(err));
    // Pages already on the wire when page 2 failed may still arrive; after that, nothing more.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sent = server.requests.length;
    assert.ok(sent <= 1 + 8, `${sent} requests for a scan whose page 2 failed (request ${failedAt}): at most the first and 8 in flight`);
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.equal(server.requests.length, sent, "no page was sent after the failure");
  });
});

describe("hostile round two: a request waiting to retry holds no in-flight slot (row 5)", () => {
  it("row 5: eight lookups sleeping out Retry-After do not hold up a healthy one to the same endpoint", async () => {
    const server = await scripted((req, res) => {
      if ((req.url ?? "").includes("img-slow")) {
        res.writeHead(429, { "content-type": "application/json", "retry-after": "2" });
        res.end(JSON.stringify({ requestId: "throttled", error: { code: 429, status: "TOO_MANY_REQUESTS", message: "slow down" } }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ requestId: "ok", result: { image: image("img-fast0001") } }));
    });
    try {
      clearImageCache();
      const opts = { ...KEYS, endpoint: server.endpoint, region: REGION, maxRetries: 1 };
      const settled: string[] = [];
      const slow = Array.from({ length: 8 }, (_, i) =>
        getImage({ imageId: `img-slow${i}` }, opts).then(
          () => settled.push("slow"),
          () => settled.push("slow"),
        ),
      );
      // Every slow lookup has had its first answer (a 429) and is asleep before the healthy one starts.
      while (server.requests.length < 8) await new Promise((resolve) => setTimeout(resolve, 5));
      await getImage({ imageId: "img-fast0001" }, opts).then(() => settled.push("fast"));
      await Promise.all(slow);
      assert.equal(settled[0], "fast", "the healthy lookup finished first, while the others slept");
    } finally {
      await server.close();
    }
  });
});

describe("hostile round two: IDs from an answer are checked before they are used (row 6)", () => {
  const world = withEmulator();
  emulatorEnvironment(world, { JDCLOUD_REGION: REGION });

  it("row 6: a search answer with an ID that is a path is refused, so nothing pins it", async () => {
    const evil = "img-a/../../../../internal/admin?x=1";
    const server = await scripted((_req, res) => page(res, [image(evil)], 1));
    try {
      const err = await thrown(() =>
        findImage({ imageSource: "public", regionId: REGION }, { ...KEYS, endpoint: server.endpoint, maxRetries: 0 }),
      );
      assert.ok(err instanceof InvalidResponseError, String(err));
      assert.equal(err.path, "result.images[0].imageId");
      assertClean(err.message);
    } finally {
      await server.close();
    }
  });

  it("row 6: a pin that is not an image ID (state written by an older release) is never put in a path by refresh", async () => {
    const before = world.emulator.requests.length;
    const err = await thrown(() => search.read("img-a/../../internal", { criteria: { imageSource: "public", regionId: REGION } }));
    assert.ok(err instanceof InvalidArgumentError, String(err));
    assert.equal(world.emulator.requests.length, before, "no request was sent");
  });
});

describe("hostile round two: dates are read strictly (row 7)", () => {
  it("row 7: the year 0099 is the year 99, and a day that does not exist is no date", () => {
    const y99 = parseCreateTime("0099-12-31 00:00:00");
    const y1999 = parseCreateTime("1999-12-31 00:00:00");
    assert.ok(y99 !== undefined && y1999 !== undefined && y99 < y1999);
    assert.equal(new Date(y99).getUTCFullYear(), 99);
    for (const text of [
      "1999-02-30 00:00:00",
      "2023-02-29 00:00:00",
      "2024-04-31 10:00:00",
      "1999-02-30T00:00:00Z",
      "2024-01-01T24:00:00Z",
      "2024-01-01T00:00:00+24:00",
    ]) {
      assert.equal(parseCreateTime(text), undefined, text);
    }
    assert.notEqual(parseCreateTime("2024-02-29 00:00:00"), undefined);
  });

  it("row 7: mostRecent never prefers an image from the year 99 over one from 2020", async () => {
    const server = await scripted((_req, res) =>
      page(
        res,
        [image("img-ancient1", { createTime: "0099-12-31 00:00:00" }), image("img-recent1", { createTime: "2020-01-01 00:00:00" })],
        2,
      ),
    );
    try {
      clearImageCache();
      const found = await findImage(
        { imageSource: "public", select: "mostRecent", regionId: REGION },
        { ...KEYS, endpoint: server.endpoint },
      );
      assert.equal(found.imageId, "img-recent1");
      clearImageCache();
    } finally {
      await server.close();
    }
  });
});

describe("hostile round two: Retry-After oddities never skip the backoff (row 8)", () => {
  it("row 8: only whole seconds and HTTP-dates are read", () => {
    const now = new Date("2026-12-01T00:00:00Z");
    for (const value of ["-1", "1.5", "2, 3", "+2", "0x10", "Infinity", "1e3", "tomorrow", "2026-12-01", "-0", " "]) {
      assert.equal(parseRetryAfter(value, now), undefined, value);
    }
    assert.equal(parseRetryAfter("7", now), 7);
    assert.equal(parseRetryAfter("Tue, 01 Dec 2026 00:00:05 GMT", now), 5);
    assert.equal(parseRetryAfter("Mon, 30 Nov 2026 00:00:00 GMT", now), 0);
  });

  it("row 8: a 429 with Retry-After '-1' waits the exponential backoff, not nothing", async () => {
    const server = await scripted((_req, res) => {
      res.writeHead(429, { "content-type": "application/json", "retry-after": "-1" });
      res.end(JSON.stringify({ requestId: "t", error: { code: 429, status: "TOO_MANY_REQUESTS", message: "slow" } }));
    });
    try {
      const settings = resolveSettings({ ...KEYS, endpoint: server.endpoint, maxRetries: 3 }, { homeDir: null, env: {} });
      const slept: number[] = [];
      await thrown(() =>
        describeImage(settings, REGION, "img-h8ly274zg9", {
          hooks: { random: () => 0.999, sleep: (ms) => (slept.push(ms), Promise.resolve()) },
        }),
      );
      assert.deepEqual(slept, [99, 199, 399]);
    } finally {
      await server.close();
    }
  });
});

describe("hostile round two: secrets in an endpoint that is not a URL (row 9)", () => {
  it("row 9: the 'not a URL' sentence never repeats user credentials, whatever characters they hold", () => {
    for (const endpoint of [
      "http://u:s3cr/et@127.0.0.1:99999",
      "https://user:p@ss/w@rd@host:99999/x",
      "u:s3cr/et@host:99999",
      "http://host:1?token=s3cr/et#x",
    ]) {
      const err = (() => {
        try {
          resolveSettings({ ...KEYS, endpoint }, { homeDir: null, env: {} });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      assert.ok(err instanceof InvalidArgumentError, endpoint);
      assert.ok(!/s3cr|p@ss|rd@|et@|token/.test(err.message), err.message);
    }
  });
});

describe("hostile round two: the plugin's settings and gRPC answers (rows 10 and 12)", function () {
  this.timeout(30_000);
  const PLUGIN = path.join(REPO_ROOT, "bin", "pulumi-resource-jdcloud-image");
  const world = withEmulator({ accessKey: "ENVAK", secretKey: "ENVSECRETKEY" });

  it("row 10: a list or an object where a setting's string belongs fails CheckConfig and Configure; nothing signs with the environment's keys", async () => {
    const env = envWithoutJdcloud({
      HOME: path.join(REPO_ROOT, "test", "fixtures", "no-home"),
      JDCLOUD_ACCESS_KEY: "ENVAK",
      JDCLOUD_SECRET_KEY: "ENVSECRETKEY",
    });
    const plugin = await startProvider(PLUGIN, [], { env });
    try {
      const news = {
        endpoint: world.emulator.endpoint,
        region: REGION,
        accessKey: ["X"],
        secretKey: secret({ value: "Y" }),
        timeoutMs: [1],
      };
      const checked = await call(plugin.client, "checkConfig", message("CheckRequest", { setOlds: struct({}), setNews: struct(news) }));
      const failures = (checked["getFailuresList"]?.() as Array<Record<string, () => unknown>>).map((f) => [
        f["getProperty"]?.(),
        f["getReason"]?.(),
      ]);
      assert.deepEqual(
        failures.map(([p]) => p),
        ["accessKey", "secretKey", "timeoutMs"],
      );
      assert.match(
        String(failures[0]?.[1]),
        /^jdcloud-image:accessKey must be a string, not a list; set jdcloud-image:accessKey to the value as text$/,
      );
      assert.match(String(failures[1]?.[1]), /must be a string, not an object/);

      const request = message("ConfigureRequest", { setArgs: struct(news), setAcceptsecrets: true });
      const refused = (await call(plugin.client, "configure", request).catch((e: unknown) => e)) as grpc.ServiceError;
      assert.ok(refused instanceof Error, "Configure refuses the configuration");
      assert.match(refused.details, /jdcloud-image:accessKey must be a string, not a list/);
      assert.equal(world.emulator.requests.length, 0);
      assert.ok(!plugin.stderr().includes("ENVSECRETKEY"));
    } finally {
      plugin.close();
    }
  });

  it("row 12: an error of 100 KB in the making reaches the client bounded, and the channel keeps serving", async () => {
    const plugin = await startProvider(PLUGIN, [], {
      env: envWithoutJdcloud({ HOME: path.join(REPO_ROOT, "test", "fixtures", "no-home") }),
    });
    try {
      await call(
        plugin.client,
        "configure",
        configureRequest({ endpoint: world.emulator.endpoint, accessKey: "ENVAK", secretKey: "ENVSECRETKEY", region: REGION }),
      );
      const invoke = (args: Record<string, unknown>): Promise<Record<string, unknown>> =>
        call(plugin.client, "invoke", message("InvokeRequest", { setTok: "jdcloud-image:index:getImage", setArgs: struct(args) })).then(
          (r) => toJs(r["getReturn"]?.()),
        );
      const huge = "k".repeat(100_000);
      for (const args of [
        { imageId: "img-h8ly274zg9", [huge]: 1 },
        { imageId: huge },
        { imageId: "img-h8ly274zg9", require: { platform: [huge] } },
      ]) {
        const err = (await invoke(args).catch((e: unknown) => e)) as grpc.ServiceError;
        assert.ok(err instanceof Error, "the invoke fails");
        assert.ok(err.details.length <= 2000, `${err.details.length} characters`);
      }
      const token = (await call(
        plugin.client,
        "invoke",
        message("InvokeRequest", { setTok: `jdcloud-image:index:${huge}`, setArgs: struct({}) }),
      ).catch((e: unknown) => e)) as grpc.ServiceError;
      assert.ok(token.details.length <= 2000);
      const fine = await invoke({ imageId: "img-h8ly274zg9" });
      assert.equal(fine["platform"], "Ubuntu", "the channel still serves");
    } finally {
      plugin.close();
    }
  });
});

describe("hostile round two, as properties", function () {
  this.timeout(120_000);
  // PROPERTY_RUNS=2000 for a deeper search than the default, which keeps `npm test` fast.
  const RUNS = Number(process.env["PROPERTY_RUNS"] ?? 60);
  /** Text a stranger could put in any field: control characters, bidi marks, long runs. */
  const hostileText = fc.oneof(
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.string({ unit: fc.constantFrom("\u001b", "\r", "\n", "\u202e", "\u2066", "\u0000", "[", "m", "A", "位"), maxLength: 60 }),
    fc.integer({ min: 1, max: 200_000 }).map((n) => `${"x".repeat(n)}\u001b[0m`),
  );
  let server: Scripted;
  let answer: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => res.end();
  before(async () => {
    server = await scripted((req, res) => answer(req, res));
  });
  after(() => server.close());
  afterEach(() => clearImageCache());

  it("hostile text in any image field gives an image or one of our errors, its message clean and bounded (row 1)", async () => {
    const fields = ["status", "osType", "platform", "name", "imageSource", "architecture", "createTime", "desc", "ownerPin"] as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fields), hostileText, async (field, text) => {
        clearImageCache();
        answer = (_req, res) => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ requestId: "r", result: { image: { ...API_BASE, imageId: "img-fuzz0001", [field]: text } } }));
        };
        const require = { osType: "linux", platform: ["Ubuntu"], architecture: "x86_64", imageSource: "public" } as const;
        try {
          await getImage({ imageId: "img-fuzz0001", regionId: REGION, require }, { ...KEYS, endpoint: server.endpoint, maxRetries: 0 });
        } catch (err) {
          assert.ok(err instanceof JdcloudImageError, String(err));
          assertClean(err.message, MESSAGE_MAX);
          assertCleanInspect(err, 10_000);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("any page shape gives at most totalCount distinct images from what was served, or one of our errors; never more requests than the pages justify (rows 3 and 6)", async () => {
    const shape = fc.record({
      totalCount: fc.integer({ min: 0, max: 450 }),
      perPage: fc.integer({ min: 0, max: 130 }),
      repeat: fc.boolean(),
      badId: fc.boolean(),
      maxResults: fc.integer({ min: 1, max: 500 }),
    });
    await fc.assert(
      fc.asyncProperty(shape, async ({ totalCount, perPage, repeat, badId, maxResults }) => {
        clearImageCache();
        const served = new Set<string>();
        let requests = 0;
        answer = (req, res) => {
          requests++;
          const n = Number(new URL(req.url ?? "/", "http://x").searchParams.get("pageNumber"));
          const images = Array.from({ length: perPage }, (_, i) => {
            const id = badId && i === 0 ? "img-x/../y" : `img-p${repeat ? 1 : n}i${i}`;
            served.add(id);
            return image(id, { createTime: "2026-01-01 00:00:00" });
          });
          page(res, images, totalCount);
        };
        try {
          const result = await getImages(
            { imageSource: "public", maxResults },
            { ...KEYS, endpoint: server.endpoint, region: REGION, maxRetries: 0 },
          );
          assert.ok(result.ids.length <= Math.min(totalCount, maxResults), `${result.ids.length} images for a totalCount of ${totalCount}`);
          for (const id of result.ids) assert.ok(served.has(id) && /^img-[a-z0-9]+$/.test(id), id);
        } catch (err) {
          assert.ok(err instanceof JdcloudImageError, String(err));
          assertClean(err.message, MESSAGE_MAX);
        }
        const pages = Math.max(1, Math.ceil(Math.min(totalCount, maxResults) / 100));
        assert.ok(requests <= 2 * pages, `${requests} requests for ${pages} pages`);
      }),
      { numRuns: RUNS },
    );
  });

  it("Retry-After: anything but whole seconds or an HTTP-date is ignored, and nothing read is negative or fractional (row 8)", () => {
    const now = new Date("2026-12-01T00:00:00Z");
    const value = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.double().map(String),
      fc.integer({ min: -1e9, max: 1e9 }).map(String),
      fc.date({ min: new Date("1990-01-01"), max: new Date("2040-01-01"), noInvalidDate: true }).map((d) => d.toUTCString()),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    );
    fc.assert(
      fc.property(value, (text) => {
        const seconds = parseRetryAfter(text, now);
        if (seconds === undefined) return;
        assert.ok(Number.isInteger(seconds) && seconds >= 0, `${JSON.stringify(text)} → ${seconds}`);
        assert.ok(/^\s*\d+\s*$/.test(text) || / GMT$|\d{4}$/.test(text.trim()), `read ${JSON.stringify(text)}`);
      }),
      { numRuns: RUNS * 20 },
    );
  });

  it("createTime: a time is read only when it exists, as written, and read back it is the same (row 7)", () => {
    const pad = (n: number, w: number): string => String(n).padStart(w, "0");
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 24 }),
        (y, mo, d, h) => {
          const text = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)} ${pad(h, 2)}:30:00`;
          const ms = parseCreateTime(text);
          const real = mo >= 1 && mo <= 12 && d >= 1 && h <= 23 && d <= new Date(Date.UTC(2000, mo, 0)).getUTCDate();
          if (ms === undefined) {
            // Only a time that does not exist (or Feb 29 of a common year) is refused.
            const leapDay = mo === 2 && d === 29;
            assert.ok(!real || leapDay, text);
            return;
          }
          const back = new Date(ms + 8 * 3600 * 1000);
          assert.deepEqual([back.getUTCFullYear(), back.getUTCMonth() + 1, back.getUTCDate(), back.getUTCHours()], [y, mo, d, h], text);
        },
      ),
      { numRuns: RUNS * 20 },
    );
  });

  it("nameRegex: patterns built from nested quantifiers against crafted names finish within a generous budget (row 2)", async () => {
    const atom = fc.constantFrom("a", "\\d", "[a-z]", ".", "(a|aa)", "(\\d+\\.?)", "x?");
    const quant = fc.constantFrom("", "*", "+", "?", "{1,3}");
    const pattern = fc
      .array(fc.tuple(atom, quant), { minLength: 1, maxLength: 6 })
      .map((parts) => `(${parts.map(([a, q]) => a + q).join("")})+!?`);
    const name = fc
      .tuple(fc.constantFrom("a", "1", "1.", "aa"), fc.integer({ min: 10, max: 40 }), fc.constantFrom("", "!", "b", " LTS!"))
      .map(([unit, n, end]) => unit.repeat(n) + end);
    await fc.assert(
      fc.asyncProperty(pattern, fc.array(name, { minLength: 1, maxLength: 5 }), async (nameRegex, names) => {
        clearImageCache();
        answer = (_req, res) =>
          page(
            res,
            names.map((n, i) => image(`img-rx${i}`, { name: n, createTime: "2026-01-01 00:00:00" })),
            names.length,
          );
        const started = process.hrtime.bigint();
        const found = await getImages(
          { imageSource: "community", nameRegex },
          { ...KEYS, endpoint: server.endpoint, region: REGION, maxRetries: 0 },
        ).catch((err: unknown) => {
          // A pattern RE2 refuses (a nested repetition such as `x?*`) is refused before any request.
          assert.ok(err instanceof InvalidArgumentError && err.argument === "criteria.nameRegex", String(err));
          return undefined;
        });
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        // A guard against exponential time (a backtracking engine takes seconds to minutes here), not a benchmark.
        assert.ok(ms < 2000, `${nameRegex} over ${JSON.stringify(names)} took ${ms} ms`);
        assert.ok((found?.ids.length ?? 0) <= names.length);
      }),
      { numRuns: RUNS },
    );
  });
});
