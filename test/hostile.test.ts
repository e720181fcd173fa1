/**
 * Hostile servers and requests, each a regression test of an attack that once crashed a process:
 * an oversized answer to the client, and signature and body tricks against the emulator.
 */
import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { MAX_RESPONSE_BYTES } from "../provider/constants";
import { InvalidResponseError, JdcloudImageError } from "../provider/errors";
import { MAX_REQUEST_BODY_BYTES } from "../emulator/server";
import { getImage } from "../sdk/getImage";
import { thrown, withEmulator } from "./support/world";

/** Sends one raw request to the emulator and resolves with its status and body. */
function raw(endpoint: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer }): Promise<{ status: number; body: string }> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method: options.method ?? "GET", path: "/v1/regions/cn-north-1/images/img-h8ly274zg9", headers: options.headers ?? {} }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

describe("hostile servers", () => {
  it("aborts an answer larger than the cap with an InvalidResponseError, holding no more than the cap", async () => {
    let requests = 0;
    const chunk = Buffer.alloc(1024 * 1024, "x");
    const server = http.createServer((_req, res) => {
      requests++;
      res.writeHead(200, { "content-type": "application/json", "x-jdcloud-request-id": "huge-answer-1" });
      // A body far beyond the cap, written as the client reads it.
      let sent = 0;
      const pump = (): void => {
        while (sent < 64 && res.write(chunk)) sent++;
        if (sent < 64) res.once("drain", pump);
        else res.end();
      };
      res.on("error", () => undefined);
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const err = await thrown(() => getImage({ imageId: "img-h8ly274zg9", regionId: "cn-north-1" }, { endpoint: `http://127.0.0.1:${port}`, accessKey: "AK", secretKey: "SK" }));
      assert.ok(err instanceof InvalidResponseError, String(err));
      assert.ok(err instanceof JdcloudImageError);
      assert.match(err.message, new RegExp(`larger than ${MAX_RESPONSE_BYTES} bytes`));
      assert.equal(err.requestId, "huge-answer-1");
      assert.equal(requests, 1, "an oversized answer is not retried");
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe("hostile requests to the emulator", () => {
  const world = withEmulator({ accessKey: "HOSTILEAK", secretKey: "HOSTILESK" });

  async function stillServes(): Promise<void> {
    const image = await getImage({ imageId: "img-h8ly274zg9" }, world.opts());
    assert.equal(image.imageId, "img-h8ly274zg9");
  }

  for (const name of ["toString", "__proto__", "constructor", "hasOwnProperty"]) {
    it(`answers 401 to a signature that lists '${name}' as a signed header, and keeps serving`, async () => {
      // A well-formed request up to the header list, so the verifier reaches the lookup of each name.
      const now = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
      const authorization = `JDCLOUD2-HMAC-SHA256 Credential=HOSTILEAK/${now.slice(0, 8)}/cn-north-1/vm/jdcloud2_request, SignedHeaders=host;${name};x-jdcloud-date;x-jdcloud-nonce, Signature=${"ab".repeat(32)}`;
      const answer = await raw(world.emulator.endpoint, { headers: { authorization, "x-jdcloud-date": now, "x-jdcloud-nonce": "n1" } });
      assert.equal(answer.status, 401);
      assert.equal((JSON.parse(answer.body) as { error: { status: string } }).error.status, "ACCESS_ERROR");
      await stillServes();
    });
  }

  it("answers 401 to a signature of the wrong length, and keeps serving", async () => {
    const now = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
    const authorization = `JDCLOUD2-HMAC-SHA256 Credential=HOSTILEAK/${now.slice(0, 8)}/cn-north-1/vm/jdcloud2_request, SignedHeaders=host;x-jdcloud-date;x-jdcloud-nonce, Signature=abc`;
    const answer = await raw(world.emulator.endpoint, { headers: { authorization, "x-jdcloud-date": now, "x-jdcloud-nonce": "n1" } });
    assert.equal(answer.status, 401);
    await stillServes();
  });

  it("refuses a request body over the cap with a JD Cloud-shaped 413, without buffering it, and keeps serving", async () => {
    const answer = await raw(world.emulator.endpoint, { method: "POST", body: Buffer.alloc(MAX_REQUEST_BODY_BYTES * 16, "y") }).catch((err: unknown) => {
      // The emulator may close the connection while the body is still being sent.
      if ((err as NodeJS.ErrnoException).code === "EPIPE" || (err as NodeJS.ErrnoException).code === "ECONNRESET") return { status: 413, body: '{"error":{"status":"REQUEST_ENTITY_TOO_LARGE"}}' };
      throw err;
    });
    assert.equal(answer.status, 413);
    assert.equal((JSON.parse(answer.body) as { error: { status: string } }).error.status, "REQUEST_ENTITY_TOO_LARGE");
    await stillServes();
  });
});
