import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { describeImage } from "../../provider/jdcloud/client";
import {
  AuthenticationError,
  ImageNotFoundError,
  ImageRequirementError,
  InvalidArgumentError,
  InvalidResponseError,
  JdcloudApiError,
  MissingCredentialsError,
  NetworkError,
  ThrottledError,
} from "../../provider/jdcloud/errors";
import { resolveSettings } from "../../provider/jdcloud/settings";
import { getImage } from "../../sdk/nodejs/getImage";
import { peakConcurrency, thrown, withEmulator } from "../support/world";

const NO_HOME = { homeDir: null, env: {} } as const;

describe("getImage over real HTTP against the emulator", () => {
  const world = withEmulator();

  it("returns the image with its region, snapshots and every field", async () => {
    const image = await getImage({ imageId: "img-h8ly274zg9", regionId: "cn-east-2" }, world.opts());
    assert.equal(image.regionId, "cn-east-2");
    assert.equal(image.platform, "Ubuntu");
    assert.equal(image.systemDiskSizeGB, 60);
    assert.deepEqual(
      image.snapshots.map((s) => [s.diskSnapshotId, s.diskCategory, s.diskSize]),
      [
        ["snapshot-sys0h8ly27", "system_disk", 60],
        ["snapshot-dat1h8ly27", "data_disk", 200],
        ["snapshot-log2h8ly27", "data_disk", 100],
      ],
    );
  });

  it("falls back to the settings region when args name none", async () => {
    const image = await getImage({ imageId: "img-m5s0centos8" }, world.opts({ region: "cn-south-1" }));
    assert.equal(image.regionId, "cn-south-1");
    assert.equal(world.emulator.requests[0]?.regionId, "cn-south-1");
  });

  it("gives ImageNotFoundError with region, image and request ID for an unknown image", async () => {
    const err = await thrown(() => getImage({ imageId: "img-doesnotexist", regionId: "cn-north-1" }, world.opts()));
    assert.ok(err instanceof ImageNotFoundError);
    assert.equal(err.name, "ImageNotFoundError");
    assert.equal(err.httpStatus, 404);
    assert.equal(err.status, "NOT_FOUND");
    assert.equal(err.retryable, false);
    const requestId = world.emulator.requests[0]?.requestId;
    assert.ok(requestId);
    assert.equal(err.requestId, requestId);
    for (const part of ["img-doesnotexist", "cn-north-1", requestId]) assert.ok(err.message.includes(part), err.message);
    assert.equal(world.emulator.requests.length, 1, "a 404 is not retried");
  });

  it("scopes images to their region", async () => {
    world.emulator.setImage({
      regionId: "cn-east-1",
      imageId: "img-onlyeast1",
      name: "x",
      platform: "CentOS",
      osType: "linux",
      status: "ready",
      systemDiskSizeGB: 20,
    });
    await getImage({ imageId: "img-onlyeast1", regionId: "cn-east-1" }, world.opts());
    await assert.rejects(getImage({ imageId: "img-onlyeast1", regionId: "cn-north-1" }, world.opts()), ImageNotFoundError);
  });

  it("gives AuthenticationError for a wrong secret key, without the key in the message", async () => {
    const err = await thrown(() => getImage({ imageId: "img-m5s0centos8" }, world.opts({ secretKey: "WRONGSECRETKEY0123456789" })));
    assert.ok(err instanceof AuthenticationError);
    assert.equal(err.httpStatus, 401);
    assert.equal(err.status, "ACCESS_ERROR");
    assert.ok(!err.message.includes("WRONGSECRETKEY0123456789"));
    assert.ok(!err.message.includes(world.emulator.secretKey));
    assert.ok(!JSON.stringify(err).includes("WRONGSECRETKEY0123456789"));
    assert.equal(world.emulator.requests.length, 1, "a 401 is not retried");
  });

  it("enforces require and names every field that missed, wanted and found", async () => {
    const err = await thrown(() =>
      getImage(
        { imageId: "img-win2019dc64", require: { osType: "linux", platform: ["Ubuntu", "CentOS"], maxSystemDiskSizeGB: 40 } },
        world.opts(),
      ),
    );
    assert.ok(err instanceof ImageRequirementError);
    assert.deepEqual(
      err.misses.map((m) => [m.field, m.found]),
      [
        ["osType", "windows"],
        ["platform", "Windows Server"],
        ["systemDiskSizeGB", 50],
      ],
    );
    for (const part of [
      "osType",
      "'linux'",
      "'windows'",
      "one of 'Ubuntu', 'CentOS'",
      "'Windows Server'",
      "at most 40",
      "img-win2019dc64",
      "cn-north-1",
    ]) {
      assert.ok(err.message.includes(part), `${part} in ${err.message}`);
    }
  });

  it("requires status ready by default and accepts 'any' or a list", async () => {
    const err = await thrown(() => getImage({ imageId: "img-pend1ng0001" }, world.opts()));
    assert.ok(err instanceof ImageRequirementError);
    assert.deepEqual(err.misses, [{ field: "status", wanted: "ready", found: "pending" }]);
    assert.equal((await getImage({ imageId: "img-pend1ng0001", require: { status: "any" } }, world.opts())).status, "pending");
    assert.equal((await getImage({ imageId: "img-err0rimg001", require: { status: ["ready", "error"] } }, world.opts())).status, "error");
  });

  for (const [label, imageId] of [
    ["empty", ""],
    ["spaces", "img-abc def"],
    ["a slash", "img-abc/def"],
    ["dot-dot", "../img-abc"],
    ["a percent sign", "img-abc%2f"],
    ["upper case", "img-ABCDEF"],
    ["over 64 characters", "img-" + "a".repeat(61)],
    ["no img- prefix", "abcdef"],
  ] as const) {
    it(`rejects an image ID with ${label} before sending anything`, async () => {
      const err = await thrown(() => getImage({ imageId, regionId: "cn-north-1" }, world.opts()));
      assert.ok(err instanceof InvalidArgumentError, err.message);
      assert.equal(err.argument, "imageId");
      assert.equal(world.emulator.requests.length, 0);
    });
  }

  it("accepts a legacy UUID image ID", async () => {
    world.emulator.setImage({
      regionId: "cn-north-1",
      imageId: "0b6d3c8e-8f2a-4c1e-9d7b-2a5f4e3c1b0a",
      name: "legacy",
      platform: "CentOS",
      osType: "linux",
      status: "ready",
      systemDiskSizeGB: 20,
    });
    assert.equal((await getImage({ imageId: "0b6d3c8e-8f2a-4c1e-9d7b-2a5f4e3c1b0a" }, world.opts())).name, "legacy");
  });

  for (const regionId of ["", "cn_north_1", "CN-NORTH-1", "cn-north-1/../x", "cn-north", "cn north 1"]) {
    it(`rejects region '${regionId}' before sending anything`, async () => {
      const err = await thrown(() => getImage({ imageId: "img-m5s0centos8", regionId }, world.opts()));
      assert.ok(err instanceof InvalidArgumentError);
      assert.equal(err.argument, "regionId");
      assert.equal(world.emulator.requests.length, 0);
    });
  }

  it("rejects a typo in require instead of ignoring it", async () => {
    const err = await thrown(() => getImage({ imageId: "img-m5s0centos8", require: { platfrom: "Ubuntu" } as never }, world.opts()));
    assert.ok(err instanceof InvalidArgumentError);
    assert.match(err.message, /platfrom/);
    assert.equal(world.emulator.requests.length, 0);
  });

  it("refuses plain http to a host that is not loopback, sending nothing", async () => {
    const err = await thrown(() => getImage({ imageId: "img-m5s0centos8" }, world.opts({ endpoint: "http://example.com" })));
    assert.ok(err instanceof InvalidArgumentError);
    assert.match(err.message, /in the clear/);
  });
});

describe("retries, timeouts and faults", () => {
  const world = withEmulator();

  async function read(extra: Parameters<typeof world.opts>[0] = {}, delays?: number[]) {
    const settings = resolveSettings(world.opts(extra), NO_HOME);
    return describeImage(settings, "cn-north-1", "img-m5s0centos8", {
      hooks: { sleep: (ms) => (delays?.push(ms), Promise.resolve()) },
    });
  }

  it("retries a 500 INTERNAL once, then returns the image", async () => {
    world.emulator.inject({ kind: "error", httpStatus: 500, status: "INTERNAL", times: 1 });
    const { image } = await read();
    assert.equal(image.name, "CentOS 8.2 64位");
    assert.deepEqual(
      world.emulator.requests.map((r) => r.httpStatus),
      [500, 200],
    );
  });

  for (const httpStatus of [500, 502, 503, 504]) {
    it(`retries ${httpStatus} up to maxRetries, then gives a retryable JdcloudApiError`, async () => {
      world.emulator.inject({ kind: "error", httpStatus, status: "UNKNOWN" });
      const err = await thrown(() => read({ maxRetries: 2 }));
      assert.ok(err instanceof JdcloudApiError);
      assert.equal(err.httpStatus, httpStatus);
      assert.equal(err.retryable, true);
      assert.equal(world.emulator.requests.length, 3);
      assert.equal(err.requestId, world.emulator.requests[2]?.requestId);
    });
  }

  it("signs every attempt afresh, with a new nonce", async () => {
    world.emulator.inject({ kind: "error", times: 3 });
    await read();
    const nonces = world.emulator.requests.map((r) => r.nonce);
    assert.equal(new Set(nonces).size, 4);
  });

  it("backs off with full jitter within the exponential bound", async () => {
    world.emulator.inject({ kind: "error", times: 3 });
    const delays: number[] = [];
    await read({}, delays);
    assert.equal(delays.length, 3);
    delays.forEach((d, i) => assert.ok(d >= 0 && d < 100 * 2 ** i, `delay ${i} = ${d}`));
  });

  it("honours Retry-After on 429, then returns the image", async () => {
    world.emulator.inject({ kind: "throttle", retryAfterSeconds: 2, times: 1 });
    const delays: number[] = [];
    const { image } = await read({}, delays);
    assert.equal(image.imageId, "img-m5s0centos8");
    assert.deepEqual(delays, [2000]);
  });

  it("gives ThrottledError when 429 persists", async () => {
    world.emulator.inject({ kind: "throttle", retryAfterSeconds: 0 });
    const err = await thrown(() => read({ maxRetries: 1 }));
    assert.ok(err instanceof ThrottledError);
    assert.equal(err.httpStatus, 429);
    assert.equal(err.retryAfterSeconds, 0);
    assert.equal(world.emulator.requests.length, 2);
  });

  it("does not retry other 4xx", async () => {
    world.emulator.inject({ kind: "error", httpStatus: 400, status: "INVALID_ARGUMENT", message: "bad" });
    const err = await thrown(() => read());
    assert.ok(err instanceof JdcloudApiError);
    assert.equal(err.status, "INVALID_ARGUMENT");
    assert.equal(world.emulator.requests.length, 1);
  });

  it("retries a dropped connection", async () => {
    world.emulator.inject({ kind: "drop", times: 2 });
    const { image } = await read();
    assert.equal(image.imageId, "img-m5s0centos8");
    assert.equal(world.emulator.requests.length, 3);
  });

  it("retries a truncated body", async () => {
    world.emulator.inject({ kind: "truncate", times: 1 });
    const { image } = await read();
    assert.equal(image.imageId, "img-m5s0centos8");
    assert.equal(world.emulator.requests.length, 2);
  });

  it("gives NetworkError when the connection keeps dropping", async () => {
    world.emulator.inject({ kind: "drop" });
    const err = await thrown(() => read({ maxRetries: 1 }));
    assert.ok(err instanceof NetworkError);
    assert.equal(err.attempts, 2);
    assert.match(err.message, /cn-north-1/);
  });

  it("gives NetworkError for a server that does not speak HTTP, after retrying", async () => {
    let connections = 0;
    const server = net.createServer((socket) => {
      connections++;
      socket.end("this is not HTTP\r\n\r\n");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
      const settings = resolveSettings(world.opts({ endpoint, maxRetries: 1 }), NO_HOME);
      const err = await thrown(() =>
        describeImage(settings, "cn-north-1", "img-m5s0centos8", { hooks: { sleep: () => Promise.resolve() } }),
      );
      assert.ok(err instanceof NetworkError, err.message);
      assert.equal(err.attempts, 2);
      assert.equal(connections, 2);
    } finally {
      server.close();
    }
  });

  it("gives NetworkError when nothing listens", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const settings = resolveSettings(world.opts({ endpoint: `http://127.0.0.1:${port}`, maxRetries: 2 }), NO_HOME);
    const err = await thrown(() => describeImage(settings, "cn-north-1", "img-m5s0centos8", { hooks: { sleep: () => Promise.resolve() } }));
    assert.ok(err instanceof NetworkError);
    assert.equal(err.attempts, 3);
    assert.match(err.message, /ECONNREFUSED/);
  });

  it("times out each attempt and retries it", async () => {
    world.emulator.inject({ kind: "latency", ms: 400, times: 1 });
    const settings = resolveSettings(world.opts({ timeoutMs: 100 }), NO_HOME);
    let attempts = 0;
    const { image } = await describeImage(settings, "cn-north-1", "img-m5s0centos8", { hooks: { onAttempt: (n) => (attempts = n) } });
    assert.equal(image.imageId, "img-m5s0centos8");
    assert.equal(attempts, 2);
  });

  it("gives NetworkError with timedOut when every attempt times out", async () => {
    world.emulator.inject({ kind: "latency", ms: 300 });
    const err = await thrown(() => read({ timeoutMs: 50, maxRetries: 1 }));
    assert.ok(err instanceof NetworkError);
    assert.equal(err.timedOut, true);
    assert.match(err.message, /timed out after 2 attempts/);
  });

  it("gives InvalidResponseError for a 200 that is not JSON, without retrying", async () => {
    world.emulator.inject({ kind: "malformed" });
    const err = await thrown(() => read());
    assert.ok(err instanceof InvalidResponseError);
    assert.equal(err.path, "(body)");
    assert.equal(err.requestId, world.emulator.requests[0]?.requestId, "the header request ID is kept");
    assert.equal(world.emulator.requests.length, 1);
  });

  it("gives InvalidResponseError naming the field path of a body that does not fit", async () => {
    const image = { imageId: "img-m5s0centos8", name: "x", platform: "CentOS", osType: "linux", status: "ready", systemDiskSizeGB: 20 };
    const body = {
      requestId: "req-1",
      result: { image: { ...image, snapshots: [{ diskSnapshotId: "s", diskSize: -1, diskCategory: "data_disk" }] } },
    };
    world.emulator.inject({ kind: "malformed", body: JSON.stringify(body) });
    const err = await thrown(() => read());
    assert.ok(err instanceof InvalidResponseError);
    assert.equal(err.path, "result.image.snapshots[0].diskSize");
    assert.match(err.message, /result\.image\.snapshots\[0\]\.diskSize/);
    assert.equal(err.requestId, "req-1");
  });

  it("tolerates unknown extra fields and makes absent snapshots an empty list", async () => {
    const image = {
      imageId: "img-m5s0centos8",
      name: "x",
      platform: "CentOS",
      osType: "linux",
      status: "ready",
      systemDiskSizeGB: 20,
      progress: "100",
    };
    world.emulator.inject({ kind: "malformed", body: JSON.stringify({ requestId: "r", result: { image, extra: 1 }, more: true }) });
    const { image: parsed } = await read();
    assert.deepEqual(parsed.snapshots, []);
    assert.equal((parsed as unknown as Record<string, unknown>)["progress"], undefined);
  });

  it("reads null optional fields as absent", async () => {
    const image = {
      imageId: "img-m5s0centos8",
      name: "x",
      platform: "CentOS",
      osType: "linux",
      status: "ready",
      systemDiskSizeGB: 20,
      desc: null,
      partnerImageId: null,
      snapshots: null,
    };
    world.emulator.inject({ kind: "malformed", body: JSON.stringify({ requestId: "r", result: { image } }) });
    const { image: parsed } = await read();
    assert.equal(parsed.desc, undefined);
    assert.deepEqual(parsed.snapshots, []);
  });

  it("gives InvalidResponseError when a required field is missing", async () => {
    world.emulator.inject({
      kind: "malformed",
      body: JSON.stringify({ requestId: "r", result: { image: { imageId: "img-m5s0centos8" } } }),
    });
    const err = await thrown(() => read());
    assert.ok(err instanceof InvalidResponseError);
    assert.equal(err.path, "result.image.name");
  });

  it("keeps JD Cloud's status and message from an error body it does not know", async () => {
    world.emulator.inject({
      kind: "malformed",
      httpStatus: 409,
      body: JSON.stringify({ requestId: "rq-9", error: { code: 409, status: "CONFLICT", message: "busy" } }),
    });
    const err = await thrown(() => read());
    assert.ok(err instanceof JdcloudApiError);
    assert.equal(err.status, "CONFLICT");
    assert.equal(err.requestId, "rq-9");
    assert.match(err.message, /"busy"/);
  });
});

describe("sharing and bounds", () => {
  const world = withEmulator({ latencyMs: 20 });

  it("rejects lookups that fail with the same sentence with one error object, so Pulumi prints it once", async () => {
    const args = { imageId: "img-win2019dc64", regionId: "cn-north-1", require: { osType: "linux" as const } };
    const [a, b] = await Promise.all([thrown(() => getImage(args, world.opts())), thrown(() => getImage(args, world.opts()))]);
    assert.ok(a instanceof ImageRequirementError);
    assert.equal(a, b);
    assert.equal(world.emulator.requests.length, 1);
  });

  it("sends one request for concurrent and repeated lookups of the same image", async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => getImage({ imageId: "img-m5s0centos8" }, world.opts())));
    await getImage({ imageId: "img-m5s0centos8" }, world.opts());
    assert.equal(results.length, 50);
    assert.equal(world.emulator.requests.length, 1);
  });

  it("answers a burst's repeated plain lookups with one promise, and still checks every other shape", async () => {
    const opts = world.opts();
    const first = getImage({ imageId: "img-m5s0centos8" }, opts);
    assert.equal(getImage({ imageId: "img-m5s0centos8" }, opts), first);
    assert.equal(
      getImage({ imageId: "img-m5s0centos8", regionId: "cn-north-1" }, opts),
      getImage({ imageId: "img-m5s0centos8", regionId: "cn-north-1" }, opts),
    );
    // The same image asked another way takes the whole path: a misspelt key, a require.
    const typo = thrown(() => getImage({ imageId: "img-m5s0centos8", regoin: "cn-north-1" } as never, opts));
    const wanted = thrown(() => getImage({ imageId: "img-m5s0centos8", require: { osType: "windows" } }, opts));
    assert.ok((await typo) instanceof InvalidArgumentError);
    assert.ok((await wanted) instanceof ImageRequirementError);
    assert.equal((await first).imageId, "img-m5s0centos8");
    assert.equal(world.emulator.requests.length, 1, "one request for every lookup of the image in cn-north-1");
  });

  it("asks again in a later turn only when the answer was not kept (a failure)", async () => {
    const opts = world.opts({ maxRetries: 0 });
    world.emulator.inject({ kind: "error", times: 1 });
    await assert.rejects(getImage({ imageId: "img-m5s0centos8" }, opts), JdcloudApiError);
    assert.equal((await getImage({ imageId: "img-m5s0centos8" }, opts)).imageId, "img-m5s0centos8");
    assert.equal((await getImage({ imageId: "img-m5s0centos8" }, opts)).imageId, "img-m5s0centos8");
    assert.equal(world.emulator.requests.length, 2);
  });

  it("does not share between access keys or regions", async () => {
    world.emulator.addKey("SECONDACCESSKEY", "SECONDSECRET");
    await getImage({ imageId: "img-m5s0centos8" }, world.opts());
    await getImage({ imageId: "img-m5s0centos8" }, world.opts({ accessKey: "SECONDACCESSKEY", secretKey: "SECONDSECRET" }));
    await getImage({ imageId: "img-m5s0centos8", regionId: "cn-east-1" }, world.opts());
    assert.equal(world.emulator.requests.length, 3);
  });

  it("does not remember a failure", async () => {
    world.emulator.inject({ kind: "error", times: 1 });
    await assert.rejects(getImage({ imageId: "img-m5s0centos8" }, world.opts({ maxRetries: 0 })), JdcloudApiError);
    const image = await getImage({ imageId: "img-m5s0centos8" }, world.opts({ maxRetries: 0 }));
    assert.equal(image.imageId, "img-m5s0centos8");
    assert.equal(world.emulator.requests.length, 2);
  });

  it("keeps at most 8 requests in flight", async () => {
    const ids = ["img-m5s0centos8", "img-ubnt2204lts", "img-win2019dc64", "img-h8ly274zg9"];
    const regions = ["cn-north-1", "cn-east-1", "cn-east-2", "cn-south-1"];
    await Promise.all(ids.flatMap((imageId) => regions.map((regionId) => getImage({ imageId, regionId }, world.opts()))));
    assert.equal(world.emulator.requests.length, 16);
    assert.ok(peakConcurrency(world.emulator) <= 8, `peak ${peakConcurrency(world.emulator)}`);
    assert.ok(peakConcurrency(world.emulator) >= 2, "requests do run concurrently");
  });

  it("sends nothing when credentials are missing", async () => {
    const saved = { ...process.env };
    delete process.env["JDCLOUD_ACCESS_KEY"];
    delete process.env["JDCLOUD_SECRET_KEY"];
    process.env["HOME"] = fs.mkdtempSync(path.join(os.tmpdir(), "empty-home-"));
    try {
      const err = await thrown(() =>
        getImage({ imageId: "img-m5s0centos8" }, { endpoint: world.emulator.endpoint, region: "cn-north-1", accessKey: "AK" }),
      );
      assert.ok(err instanceof MissingCredentialsError);
      assert.match(err.message, /image 'img-m5s0centos8'/);
    } finally {
      process.env = saved;
    }
    assert.equal(world.emulator.requests.length, 0);
  });
});

describe("what a lookup loads in a fresh process", () => {
  const world = withEmulator();

  // zod and the schemas cost a fresh process ~35 ms and ~6 MB of garbage to load: a Pulumi program
  // whose lookups are plain never pays it; the first lookup that needs the schemas loads them.
  it("loads no zod for plain lookups, and loads it for an answer that needs the schemas", async () => {
    const program = `
      const zodLoaded = () => Object.keys(require.cache).some((f) => f.includes("${path.sep}zod${path.sep}"));
      const { getImage } = require(${JSON.stringify(path.resolve(__dirname, "../../dist/sdk/nodejs"))});
      const opts = JSON.parse(process.argv[1]);
      (async () => {
        const afterImport = zodLoaded();
        const image = await getImage({ imageId: "img-m5s0centos8" }, opts);
        const afterLookup = zodLoaded();
        const error = await getImage({ imageId: "img-doesnotexist" }, opts).catch((e) => e.name);
        process.stdout.write(JSON.stringify({ afterImport, imageId: image.imageId, afterLookup, error, afterError: zodLoaded() }));
      })();`;
    // Asynchronously: the emulator answering the child runs in this process.
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ["-e", program, JSON.stringify(world.opts())], { timeout: 20_000 }, (err, out, err2) =>
        err ? reject(new Error(`${err.message}\n${err2}`)) : resolve(out),
      ),
    );
    assert.deepEqual(JSON.parse(stdout), {
      afterImport: false,
      imageId: "img-m5s0centos8",
      afterLookup: false,
      error: "ImageNotFoundError",
      afterError: true,
    });
  });
});
