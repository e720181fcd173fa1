import { strict as assert } from "node:assert";
import {
  AuthenticationError,
  ImageNotFoundError,
  ImageRequirementError,
  InvalidArgumentError,
  InvalidResponseError,
  JdcloudApiError,
  JdcloudImageError,
  NetworkError,
  ThrottledError,
  clip,
} from "../../../provider/jdcloud/errors";
import { interpret } from "../../../provider/jdcloud/client";

const target = { regionId: "cn-north-1", imageId: "img-abc123" };

describe("errors", () => {
  it("set name to their class and keep the class chain", () => {
    const details = { ...target, httpStatus: 404, status: "NOT_FOUND", requestId: "r1", retryable: false };
    const all: Error[] = [
      new JdcloudApiError({ ...details, httpStatus: 500, retryable: true }),
      new ImageNotFoundError(details),
      new AuthenticationError({ ...details, httpStatus: 403 }),
      new ThrottledError({ ...details, httpStatus: 429, retryable: true }),
      new InvalidResponseError(target, 200, "result", "is missing"),
      new InvalidArgumentError("imageId", "bad", "fix it"),
      new ImageRequirementError(target, [{ field: "osType", wanted: "linux", found: "windows" }]),
      new NetworkError("https://x", target, 4, true, new Error("boom")),
    ];
    for (const err of all) {
      assert.equal(err.name, err.constructor.name);
      assert.ok(err instanceof JdcloudImageError);
      assert.ok(err.message.endsWith("."), err.message);
    }
    assert.ok(all[1] instanceof JdcloudApiError);
  });

  it("classifies answers by status, and 404 without NOT_FOUND as a gateway error", () => {
    const body = (code: number, status: string) => JSON.stringify({ requestId: "rid", error: { code, status, message: "m" } });
    assert.throws(() => interpret({ httpStatus: 404, body: body(404, "NOT_FOUND"), attempts: 1 }, target), ImageNotFoundError);
    assert.throws(() => interpret({ httpStatus: 403, body: body(403, "FORBIDDEN"), attempts: 1 }, target), AuthenticationError);
    assert.throws(() => interpret({ httpStatus: 429, body: body(429, "X"), attempts: 1 }, target), ThrottledError);
    assert.throws(
      () => interpret({ httpStatus: 404, body: "<html>", attempts: 1, requestId: "hdr" }, target),
      (e: unknown) => e instanceof JdcloudApiError && !(e instanceof ImageNotFoundError) && e.requestId === "hdr",
    );
  });

  it("rejects an answer for another image than the one asked", () => {
    const image = { imageId: "img-other", name: "n", platform: "CentOS", osType: "linux", status: "ready", systemDiskSizeGB: 1 };
    assert.throws(
      () => interpret({ httpStatus: 200, body: JSON.stringify({ requestId: "r", result: { image } }), attempts: 1 }, target),
      (e: unknown) => e instanceof InvalidResponseError && e.path === "result.image.imageId",
    );
  });
});

describe("clip, for outside text in an error message", () => {
  it("escapes control characters so nothing breaks the line or colours a terminal", () => {
    assert.equal(clip("a\nb\r\tc\u001b[31md\u0000"), "a\\nb\\r\\tc\\u001b[31md\\u0000");
  });

  it("cuts long text to the limit with an ellipsis, and leaves short text alone", () => {
    assert.equal(clip("x".repeat(200), 10), `${"x".repeat(9)}…`);
    assert.equal(clip("img-h8ly274zg9"), "img-h8ly274zg9");
    assert.equal(clip("中文镜像"), "中文镜像");
  });
});
