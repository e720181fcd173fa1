/** Debug logging: what the lookup path tells `pulumi preview --debug`, and that it never holds a secret. */
import { strict as assert } from "node:assert";
import { setDebugSink } from "../../../provider/jdcloud/log";
import { getImage } from "../../../sdk/nodejs/getImage";
import { withEmulator } from "../../support/world";

describe("debug logging", () => {
  const world = withEmulator({ accessKey: "LOGAK", secretKey: "LOGSECRETVALUE" });
  const lines: string[] = [];
  beforeEach(() => {
    lines.length = 0;
    setDebugSink((line) => lines.push(line));
  });
  afterEach(() => setDebugSink(undefined));

  it("logs where each setting came from, every retry with its wait, and the request ID — never the secret", async () => {
    world.emulator.inject({ kind: "error", httpStatus: 503, status: "UNAVAILABLE", times: 1 });
    await getImage({ imageId: "img-m5s0centos8" }, world.opts());
    const text = lines.join("\n");
    assert.match(
      text,
      /settings for http:\/\/127\.0\.0\.1:\d+: endpoint from opts\.endpoint, accessKey from opts\.accessKey, secretKey from opts\.secretKey/,
    );
    assert.match(text, /attempt 1 of 4 got 503; waiting \d+ ms before the next/);
    const id = world.emulator.requests.at(-1)?.requestId ?? "?";
    assert.match(text, new RegExp(`200, JD Cloud request ${id}, attempt 2`));
    assert.ok(!text.includes("LOGSECRETVALUE"), text);
    assert.ok(lines.every((l) => l.startsWith("jdcloud-image: ")));
  });

  it("logs a throttling wait as JD Cloud asked for it", async () => {
    world.emulator.inject({ kind: "throttle", retryAfterSeconds: 0, times: 1 });
    await getImage({ imageId: "img-m5s0centos8" }, world.opts());
    assert.ok(
      lines.some((l) => /got 429 with Retry-After; waiting 0 ms/.test(l)),
      lines.join("\n"),
    );
  });

  it("builds no line at all without a sink", async () => {
    setDebugSink(undefined);
    await getImage({ imageId: "img-ubnt2204lts" }, world.opts());
    assert.deepEqual(lines, []);
  });
});
