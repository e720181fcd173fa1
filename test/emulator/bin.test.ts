import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { clearImageCache } from "../../provider/jdcloud/client";
import { ImageNotFoundError } from "../../provider/jdcloud/errors";
import { getImage } from "../../sdk/nodejs/getImage";
import { runBin, startBin } from "../support/bin";
import { officialVmClient } from "../support/officialSdk";

function fixtureFile(content: unknown): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fixtures-")), "images.json");
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

const fixture = {
  images: [
    {
      regionId: "cn-north-1",
      imageId: "img-fixture001",
      name: "fixture one",
      platform: "CentOS",
      osType: "linux",
      status: "ready",
      systemDiskSizeGB: 30,
      architecture: "x86_64",
    },
    {
      regionId: "cn-east-2",
      imageId: "img-fixture002",
      name: "fixture two",
      platform: "Windows Server",
      osType: "windows",
      status: "ready",
      systemDiskSizeGB: 80,
    },
  ],
};

describe("jdcloud-image-emulator bin", () => {
  beforeEach(() => clearImageCache());

  it("prints exactly one JSON line with endpoint and a generated key pair, logs requests to stderr, exits on SIGTERM", async () => {
    const bin = await startBin(["--port", "0"]);
    try {
      assert.deepEqual(Object.keys(bin.ready).sort(), ["accessKey", "endpoint", "secretKey"]);
      assert.match(bin.ready.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(bin.ready.accessKey, /^[0-9A-F]{32}$/);
      const image = await getImage({ imageId: "img-win2019dc64", regionId: "cn-south-1" }, bin.ready);
      assert.equal(image.osType, "windows");
      await bin.stderrMatching(/GET \/v1\/regions\/cn-south-1\/images\/img-win2019dc64 200 [0-9a-f]{32}/);
    } finally {
      assert.equal(await bin.stop("SIGTERM"), 0);
    }
    assert.equal(bin.stdoutLines.filter((l) => l !== "").length, 1);
  });

  it("exits cleanly on SIGINT", async () => {
    const bin = await startBin([]);
    assert.equal(await bin.stop("SIGINT"), 0);
  });

  it("serves a fixture file with the given keys, to the official SDK and to getImage", async () => {
    const bin = await startBin(["--fixtures", fixtureFile(fixture), "--access-key", "FIXAK", "--secret-key", "FIXSK"]);
    try {
      assert.equal(bin.ready.accessKey, "FIXAK");
      const answer = await officialVmClient(bin.ready.endpoint, "FIXAK", "FIXSK").describeImage({ imageId: "img-fixture002" }, "cn-east-2");
      assert.equal(answer.result.image["name"], "fixture two");
      const image = await getImage({ imageId: "img-fixture001", regionId: "cn-north-1" }, { ...bin.ready, secretKey: "FIXSK" });
      assert.equal(image.systemDiskSizeGB, 30);
      await assert.rejects(getImage({ imageId: "img-m5s0centos8", regionId: "cn-north-1" }, bin.ready), ImageNotFoundError);
    } finally {
      await bin.stop();
    }
  });

  it("applies faults from the fixture file", async () => {
    const bin = await startBin([
      "--fixtures",
      fixtureFile({ ...fixture, faults: [{ kind: "error", httpStatus: 503, status: "UNKNOWN", times: 1 }] }),
    ]);
    try {
      const image = await getImage({ imageId: "img-fixture001", regionId: "cn-north-1" }, bin.ready);
      assert.equal(image.name, "fixture one");
      await bin.stderrMatching(/ 503 [0-9a-f]{32} faults=error/);
    } finally {
      await bin.stop();
    }
  });

  it("stops with one line naming the file, the image index and the field of a bad fixture", async () => {
    const bad = { images: [fixture.images[0], { ...fixture.images[1], systemDiskSizeGB: "eighty" }] };
    const file = fixtureFile(bad);
    const { code, stdout, stderr } = await runBin(["--fixtures", file]);
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.equal(stderr.trim().split("\n").length, 1);
    assert.ok(stderr.includes(file), stderr);
    assert.match(stderr, /image 1, field systemDiskSizeGB/);
  });

  it("stops with one line for a fixture that is not JSON, or an unknown option", async () => {
    const file = fixtureFile("{ not json");
    const notJson = await runBin(["--fixtures", file]);
    assert.equal(notJson.code, 1);
    assert.match(notJson.stderr, /is not JSON/);
    const badOption = await runBin(["--prot", "1"]);
    assert.equal(badOption.code, 2);
    assert.equal(
      badOption.stderr,
      "jdcloud-image-emulator: unknown option '--prot'; did you mean '--port'?\nRun jdcloud-image-emulator --help for every option.\n",
    );
  });

  it("--help lists every option with its default, and an example; --version prints the package's version", async () => {
    const help = await runBin(["--help"]);
    assert.equal(help.code, 0);
    for (const option of ["--host", "--port", "--fixtures", "--access-key", "--secret-key", "--request-log-limit", "--help", "--version"]) {
      assert.ok(help.stdout.includes(option), `--help does not list ${option}`);
    }
    assert.match(help.stdout, /--port N {2,}port to listen on; 0 picks a free one \(default: 0\)/);
    assert.match(help.stdout, /--request-log-limit N .*\(default: 10000\)/);
    assert.match(help.stdout, /example:\n {2}jdcloud-image-emulator --port 18777 /);
    const { version } = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../package.json"), "utf8")) as { version: string };
    const printed = await runBin(["--version"]);
    assert.deepEqual([printed.code, printed.stdout], [0, `${version}\n`]);
  });
});
