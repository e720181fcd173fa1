/** transport: retries, Retry-After, the answer cap and kept-alive connections, against scripted servers. */
import { strict as assert } from "node:assert";
import { NetworkError } from "../../../provider/jdcloud/errors";
import { resolveSettings } from "../../../provider/jdcloud/settings";
import { getWithRetries, parseRetryAfter } from "../../../provider/jdcloud/transport";
import { scripted, jdError } from "../../support/scripted";

const REQUEST = {
  path: "/v1/regions/cn-north-1/images/img-a",
  regionId: "cn-north-1",
  target: { regionId: "cn-north-1", imageId: "img-a" },
};

function settingsFor(endpoint: string, maxRetries = 3): ReturnType<typeof resolveSettings> {
  return resolveSettings({ endpoint, accessKey: "AK", secretKey: "SK", maxRetries, timeoutMs: 2_000 }, { env: {}, homeDir: null });
}

describe("transport", () => {
  it("retries 503 with backoff, signing each attempt afresh, and returns the answer that passed", async () => {
    let n = 0;
    const server = await scripted((req, res) =>
      ++n < 3 ? jdError(res, 503, "UNAVAILABLE", "busy") : res.end(`{"nonce":"${String(req.headers["x-jdcloud-nonce"])}"}`),
    );
    const waits: number[] = [];
    try {
      const answer = await getWithRetries(settingsFor(server.endpoint), REQUEST, {
        sleep: (ms) => (waits.push(ms), Promise.resolve()),
        random: () => 0.5,
      });
      assert.equal(answer.httpStatus, 200);
      assert.equal(answer.attempts, 3);
      assert.deepEqual(waits, [50, 100]);
      const nonces = server.requests.map((r) => r.headers["x-jdcloud-nonce"]);
      assert.equal(new Set(nonces).size, 3, "a new nonce per attempt");
    } finally {
      await server.close();
    }
  });

  it("waits what Retry-After asks, and gives up at once when it asks for more than 30 s", async () => {
    const waits: number[] = [];
    const asks = ["2", "31"];
    const server = await scripted((_req, res) =>
      jdError(res, 429, "TOO_MANY_REQUESTS", "slow down", { "retry-after": asks.shift() ?? "1" }),
    );
    try {
      const answer = await getWithRetries(settingsFor(server.endpoint), REQUEST, { sleep: (ms) => (waits.push(ms), Promise.resolve()) });
      assert.equal(answer.httpStatus, 429);
      assert.equal(answer.retryAfterSeconds, 31);
      assert.deepEqual(waits, [2000]);
      assert.equal(server.requests.length, 2);
    } finally {
      await server.close();
    }
  });

  it("turns a refused connection into a NetworkError after every attempt", async () => {
    const server = await scripted(() => undefined);
    const endpoint = server.endpoint;
    await server.close();
    const attempts: number[] = [];
    await assert.rejects(
      getWithRetries(settingsFor(endpoint, 2), REQUEST, { sleep: () => Promise.resolve(), onAttempt: (n) => attempts.push(n) }),
      (e: unknown) => e instanceof NetworkError && e.attempts === 3 && e.retryable,
    );
    assert.deepEqual(attempts, [1, 2, 3]);
  });

  it("sends again, without counting an attempt, when the server closed a kept-alive connection", async () => {
    // Every answer closes its connection after it is sent, without saying so: the next request
    // finds a dead socket in the pool now and then. With no retries allowed, every lookup must
    // still get its answer (a GET may safely go again on a new connection).
    const server = await scripted((_req, res) => {
      res.end("{}");
      res.socket?.end();
    });
    try {
      for (let i = 0; i < 20; i++) {
        const answer = await getWithRetries(settingsFor(server.endpoint, 0), REQUEST);
        assert.equal(answer.attempts, 1);
      }
      assert.ok(server.requests.length >= 20);
    } finally {
      await server.close();
    }
  });

  it("reads Retry-After as seconds or an HTTP date, and nothing else", () => {
    const now = new Date("2026-11-29T00:00:00Z");
    assert.equal(parseRetryAfter("7", now), 7);
    assert.equal(parseRetryAfter(" 7 ", now), 7);
    assert.equal(parseRetryAfter("Sun, 29 Nov 2026 00:00:10 GMT", now), 10);
    assert.equal(parseRetryAfter("Sat, 28 Nov 2026 00:00:00 GMT", now), 0);
    assert.equal(parseRetryAfter("soon", now), undefined);
    assert.equal(parseRetryAfter("", now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });
});
