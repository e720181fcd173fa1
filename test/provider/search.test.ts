/** Image search (getImages, findImage) against the emulator and against scripted servers that misbehave. */
import { strict as assert } from "node:assert";
import type * as http from "node:http";
import { startEmulator } from "../../emulator/server";
import {
  AmbiguousImageMatchError,
  InvalidArgumentError,
  InvalidResponseError,
  JdcloudImageError,
  NoImageMatchError,
} from "../../provider/jdcloud/errors";
import { parseCreateTime, versionOf } from "../../provider/search";
import { findImage, getImages } from "../../sdk/nodejs/findImage";
import { clearImageCache } from "../../sdk/nodejs";
import { publicCatalogue } from "../support/catalogue";
import { scripted } from "../support/scripted";
import { thrown, withEmulator } from "../support/world";

describe("getImages and findImage against the emulator", () => {
  const world = withEmulator();

  it("returns every match newest first, and an empty result as a result", async () => {
    const found = await getImages({ imageSource: "public", platform: "Ubuntu" }, world.opts());
    assert.deepEqual(found.ids, ["img-ubnt2404lts", "img-ubnt2204lts", "img-ubnt2004lts"]);
    assert.equal(found.regionId, "cn-north-1");
    assert.equal(found.images[0]?.regionId, "cn-north-1");
    const none = await getImages({ imageSource: "public", platform: "FreeBSD" }, world.opts());
    assert.deepEqual(none.ids, []);
  });

  it("refuses bad criteria before any request", async () => {
    for (const criteria of [
      { platform: "Ubuntu" },
      { imageSource: "public", nameRegex: "([" },
      { imageSource: "public", platfrom: "Ubuntu" },
      { imageSource: "nope" },
    ]) {
      const err = await thrown(() => getImages(criteria as never, world.opts()));
      assert.ok(err instanceof InvalidArgumentError, `${JSON.stringify(criteria)}: ${String(err)}`);
    }
    assert.equal(world.emulator.requests.length, 0);
  });

  it("matches nameRegex against the whole name", async () => {
    assert.deepEqual((await getImages({ imageSource: "public", nameRegex: "Ubuntu 22" }, world.opts())).ids, []);
    assert.deepEqual((await getImages({ imageSource: "public", nameRegex: "Ubuntu 22.*" }, world.opts())).ids, ["img-ubnt2204lts"]);
  });

  it("picks one image: unique refuses several, mostRecent and highestVersion choose", async () => {
    const criteria = { imageSource: "public", platform: "Ubuntu" } as const;
    const err = await thrown(() => findImage(criteria, world.opts()));
    assert.ok(err instanceof AmbiguousImageMatchError, String(err));
    assert.equal(err.matched, 3);
    assert.match(err.message, /img-ubnt2404lts 'Ubuntu 24\.04 LTS 64位' \(2024-05-20 08:30:00\)/);
    assert.match(err.message, /select: "mostRecent" or "highestVersion"/);
    assert.equal((await findImage({ ...criteria, select: "mostRecent" }, world.opts())).imageId, "img-ubnt2404lts");
    assert.equal(
      (await findImage({ ...criteria, select: "highestVersion", nameRegex: "Ubuntu 2[02].*" }, world.opts())).imageId,
      "img-ubnt2204lts",
    );
    assert.equal((await findImage({ ...criteria, name: "Ubuntu 20.04 LTS 64位" }, world.opts())).imageId, "img-ubnt2004lts");
  });

  it("never picks a stranger's newer community image silently", async () => {
    const criteria = { imageSource: "community", name: "ubuntu-22.04-hardened", select: "mostRecent" } as const;
    const err = await thrown(() => findImage(criteria, world.opts()));
    assert.ok(err instanceof InvalidArgumentError && /ownerPins/.test(err.message), String(err));
    assert.equal(world.emulator.requests.length, 0);
    assert.equal((await findImage({ ...criteria, ownerPins: ["alice-publisher"] }, world.opts())).imageId, "img-comm0alice1");
    assert.equal((await findImage({ ...criteria, allowUnsafe: true }, world.opts())).imageId, "img-comm0mal001");
  });

  it("says how many images JD Cloud returned and what each criterion removed when none matches", async () => {
    const err = await thrown(() => findImage({ imageSource: "public", platform: "Ubuntu", osType: "windows" }, world.opts()));
    assert.ok(err instanceof NoImageMatchError, String(err));
    assert.equal(err.returned, 3);
    assert.match(err.message, /JD Cloud returned 3 and osType removed 3/);
  });

  it("shares one scan between identical searches in a process", async () => {
    await Promise.all(
      Array.from({ length: 50 }, () => findImage({ imageSource: "public", platform: "Ubuntu", select: "mostRecent" }, world.opts())),
    );
    assert.equal(world.emulator.requests.length, 1);
  });
});

describe("getImages over many pages", () => {
  it("reads every page (the rest concurrently), drops repeats, and orders ties in createTime by image ID", async () => {
    // Ten images share each second: ties the order must settle by image ID.
    const images = publicCatalogue(250, "cn-north-1", "page", (i) => `2026-01-01 00:00:${String(Math.floor(i / 10)).padStart(2, "0")}`);
    const emulator = await startEmulator({ images });
    try {
      clearImageCache();
      const found = await getImages(
        { imageSource: "public" },
        { endpoint: emulator.endpoint, accessKey: emulator.accessKey, secretKey: emulator.secretKey, region: "cn-north-1" },
      );
      assert.equal(found.ids.length, 250);
      assert.equal(new Set(found.ids).size, 250);
      assert.deepEqual(found.ids.slice(0, 3), ["img-page00240", "img-page00241", "img-page00242"]);
      assert.equal(emulator.requests.length, 3);
    } finally {
      await emulator.close();
      clearImageCache();
    }
  });
});

describe("getImages against servers that misbehave", () => {
  afterEach(() => clearImageCache());
  const image = (imageId: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    imageId,
    name: imageId,
    platform: "Ubuntu",
    systemDiskSizeGB: 40,
    imageSource: "public",
    osType: "linux",
    status: "ready",
    createTime: "2026-01-01 00:00:00",
    ...extra,
  });
  const answer = (res: http.ServerResponse, images: unknown[], totalCount = images.length): void => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ requestId: "scripted", result: { images, totalCount } }));
  };
  const opts = (endpoint: string) => ({ endpoint, accessKey: "AK", secretKey: "SK", region: "cn-north-1", maxRetries: 0 });

  it("re-checks every criterion itself: a server that ignores filters cannot widen the result", async () => {
    const server = await scripted((_req, res) =>
      answer(res, [
        image("img-a"),
        image("img-win", { platform: "Windows Server", osType: "windows" }),
        image("img-priv", { imageSource: "private" }),
      ]),
    );
    try {
      const found = await getImages({ imageSource: "public", platform: "Ubuntu" }, opts(server.endpoint));
      assert.deepEqual(found.ids, ["img-a"]);
    } finally {
      await server.close();
    }
  });

  it("refuses a createTime it cannot read, naming where it was — never time zero", async () => {
    const server = await scripted((_req, res) => answer(res, [image("img-a"), image("img-b", { createTime: "yesterday" })]));
    try {
      const err = await thrown(() => getImages({ imageSource: "public" }, opts(server.endpoint)));
      assert.ok(err instanceof InvalidResponseError, String(err));
      assert.equal(err.path, "result.images[1].createTime");
    } finally {
      await server.close();
    }
  });

  it("scans again once when the catalogue changes while it is read, then gives up clearly", async () => {
    let calls = 0;
    const server = await scripted((_req, res) => {
      calls++;
      // Every page reports a different total.
      answer(res, [image(`img-${calls}`)], 150 + calls);
    });
    try {
      const err = await thrown(() => getImages({ imageSource: "public" }, opts(server.endpoint)));
      assert.ok(
        err instanceof JdcloudImageError && /did not add up twice .*the catalogue changed while it was read/.test(err.message),
        String(err),
      );
      assert.equal(calls, 4, "two scans of two pages");
    } finally {
      await server.close();
    }
  });

  it("refuses to read more than maxResults, saying how many matched", async () => {
    const server = await scripted((_req, res) => answer(res, [image("img-a")], 5000));
    try {
      const err = await thrown(() => getImages({ imageSource: "public" }, opts(server.endpoint)));
      assert.ok(
        err instanceof InvalidArgumentError && /5000 images/.test(err.message) && /maxResults \(1000\)/.test(err.message),
        String(err),
      );
      assert.equal(server.requests.length, 1);
    } finally {
      await server.close();
    }
  });
});

describe("search: reading createTime", () => {
  it("reads JD Cloud's form (China time) and ISO 8601 with a zone, and nothing else", () => {
    assert.equal(parseCreateTime("2021-01-28 16:49:05"), Date.parse("2021-01-28T16:49:05+08:00"));
    assert.equal(parseCreateTime("2021-01-28T08:49:05Z"), Date.parse("2021-01-28T16:49:05+08:00"));
    for (const bad of ["2021-01-28", "2021-01-28T16:49:05", "2021-13-01 00:00:00", "28/01/2021 16:49", "", "yesterday"]) {
      assert.equal(parseCreateTime(bad), undefined, bad);
    }
  });

  it("reads the version numbers in a name", () => {
    assert.deepEqual(versionOf("Ubuntu 22.04 LTS"), [22, 4]);
    assert.deepEqual(versionOf("CentOS 8.2 64位"), [8, 2]);
    assert.deepEqual(versionOf("no version"), []);
  });
});
