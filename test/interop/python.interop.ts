/**
 * JD Cloud's official Python clients against the emulator bin, unchanged: the Python SDK's
 * `VmClient` and the `jdc` CLI (configured by `jdc configure add`, whose profile our getImage
 * then reads). And our JDCLOUD3 signer against the Python SDK's own, live and as stored vectors.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { envWithoutJdcloud } from "../../scripts/toolchain";
import { RunningBin, startBin } from "../support/bin";
import { V3_CASES, ourV3Authorization, pythonV3Authorizations } from "../support/signingCases";
import { readVectors } from "../support/vectors";
import { DISK_ATTACHMENT_SPEC_FIELDS, DISK_SPEC_FIELDS, INSTANCE_SPEC_FIELDS } from "../../emulator/createInstances";
import { VM_IMAGE_FIELDS } from "../../provider/jdcloud/image";
import { everyServedImage } from "../support/images";
import { instanceDisks, type InstanceDisks } from "../../sdk/nodejs/instanceDisks";

const PYTHON = process.env["INTEROP_PYTHON"] ?? "";
const JDC = process.env["INTEROP_JDC"] ?? "";
const REPO = path.resolve(__dirname, "..", "..");
const KEYS = { accessKey: "INTEROPAK0123", secretKey: "INTEROPSK0123" };

/** An environment for a child without any JD Cloud settings of the caller's, with its own HOME. */
function cleanEnv(home: string): NodeJS.ProcessEnv {
  return envWithoutJdcloud({ HOME: home });
}

interface PythonAnswer {
  requestId: string;
  error: { code: number; status: string; message: string } | null;
  image: { imageId: string; name: string; systemDiskSizeGB: number } | null;
}

before(function () {
  if (!PYTHON || !JDC) throw new Error("run this suite with `npm run test:interop`, which installs the Python clients");
});

describe("the official Python SDK (jdcloud-sdk VmClient) against the emulator bin", () => {
  let emulator: RunningBin;
  before(async () => {
    emulator = await startBin(["--access-key", KEYS.accessKey, "--secret-key", KEYS.secretKey]);
  });
  after(() => emulator.stop());

  function describeImage(secretKey: string, imageId: string): PythonAnswer {
    const host = new URL(emulator.ready.endpoint).host;
    const res = spawnSync(
      PYTHON,
      [path.join(__dirname, "py", "describe_image.py"), host, KEYS.accessKey, secretKey, "cn-north-1", imageId],
      { encoding: "utf8" },
    );
    assert.equal(res.status, 0, res.stderr);
    return JSON.parse(res.stdout) as PythonAnswer;
  }

  it("reads an image, signed with JDCLOUD3 as the SDK signs (date and nonce unsigned)", () => {
    const answer = describeImage(KEYS.secretKey, "img-h8ly274zg9");
    assert.equal(answer.error, null);
    assert.equal(answer.image?.imageId, "img-h8ly274zg9");
    assert.equal(answer.image?.name, "web-app-golden-2026-11");
    assert.match(answer.requestId, /^[0-9a-f]{32}$/);
  });

  it("gets 401 ACCESS_ERROR with a wrong secret key", () => {
    const answer = describeImage("WRONGSECRET", "img-h8ly274zg9");
    assert.equal(answer.error?.code, 401);
    assert.equal(answer.error?.status, "ACCESS_ERROR");
  });

  function describeImages(
    pageSize: number,
    ids: string[] = [],
  ): { error: { code: number; status: string } | null; ids: string[]; totalCount: number; pages: number } {
    const host = new URL(emulator.ready.endpoint).host;
    const res = spawnSync(
      PYTHON,
      [path.join(__dirname, "py", "describe_images.py"), host, KEYS.accessKey, KEYS.secretKey, "cn-north-1", String(pageSize), ...ids],
      { encoding: "utf8" },
    );
    assert.equal(res.status, 0, res.stderr);
    return JSON.parse(res.stdout) as ReturnType<typeof describeImages>;
  }

  it("pages through describeImages (newest first, totalCount) and asks by ids (ids.1, ids.2)", () => {
    const all = describeImages(10);
    assert.equal(all.error, null);
    assert.equal(all.totalCount, 5);
    assert.deepEqual(all.ids, ["img-ubnt2404lts", "img-ubnt2204lts", "img-win2019dc64", "img-m5s0centos8", "img-ubnt2004lts"]);
    const some = describeImages(10, ["img-h8ly274zg9", "img-comm0alice1"]);
    assert.deepEqual([...some.ids].sort(), ["img-comm0alice1", "img-h8ly274zg9"]);
  });

  it("gets JD Cloud's 400 OUT_OF_RANGE for a page size it does not allow", () => {
    const answer = describeImages(5);
    assert.equal(answer.error?.code, 400);
    assert.equal(answer.error?.status, "OUT_OF_RANGE");
  });

  it("gets 404 NOT_FOUND for a missing image", () => {
    const answer = describeImage(KEYS.secretKey, "img-nosuchimage");
    assert.equal(answer.error?.code, 404);
    assert.equal(answer.error?.status, "NOT_FOUND");
  });
});

describe("our JDCLOUD3 signer against the Python SDK's signer", () => {
  it("signs every case byte for byte as the Python SDK does, live", () => {
    const theirs = pythonV3Authorizations(PYTHON, V3_CASES);
    V3_CASES.forEach((c, i) => assert.equal(ourV3Authorization(c), theirs[i], c.name));
  });

  it("has stored vectors that the Python SDK still signs so (rerun `npm run vectors` when it changes on purpose)", () => {
    const stored = readVectors(3).vectors;
    const theirs = pythonV3Authorizations(PYTHON, V3_CASES);
    assert.deepEqual(
      stored.map((v) => v.authorization),
      theirs,
    );
  });
});

describe("the jdc CLI (jdcloud-cli) against the emulator bin", () => {
  let emulator: RunningBin;
  let home: string;
  const jdc = (...args: string[]): { status: number | null; stdout: string; stderr: string } =>
    spawnSync(JDC, args, { encoding: "utf8", env: cleanEnv(home) });

  before(async () => {
    emulator = await startBin(["--access-key", KEYS.accessKey, "--secret-key", KEYS.secretKey]);
    home = fs.mkdtempSync(path.join(os.tmpdir(), "jdc-home-"));
    const endpoint = new URL(emulator.ready.endpoint).host;
    const added = jdc(
      "configure",
      "add",
      "--access-key",
      KEYS.accessKey,
      "--secret-key",
      KEYS.secretKey,
      "--region-id",
      "cn-north-1",
      "--endpoint",
      endpoint,
      "--scheme",
      "http",
    );
    assert.equal(added.status, 0, added.stderr + added.stdout);
  });
  after(async () => {
    await emulator.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it("prints the image for `jdc vm describe-image`", () => {
    const res = jdc("vm", "describe-image", "--image-id", "img-h8ly274zg9");
    assert.equal(res.status, 0, res.stderr);
    const out = JSON.parse(res.stdout) as { error: unknown; result: { image: { imageId: string; name: string } } };
    assert.equal(out.error, null);
    assert.equal(out.result.image.imageId, "img-h8ly274zg9");
  });

  it("prints JD Cloud's 404 for a missing image", () => {
    const res = jdc("vm", "describe-image", "--image-id", "img-nosuchimage");
    const out = JSON.parse(res.stdout) as { error: { code: number; status: string } };
    assert.equal(out.error.code, 404);
    assert.equal(out.error.status, "NOT_FOUND");
  });

  it("writes a profile our getImage reads as it is: credentials, region and endpoint, and `current` without a newline", () => {
    const current = fs.readFileSync(path.join(home, ".jdc", "current"), "utf8");
    assert.equal(current, "default", "jdc writes the current profile's name without a newline");
    const script =
      `require(${JSON.stringify(path.join(REPO, "dist", "sdk", "nodejs"))}).getImage({ imageId: "img-h8ly274zg9" })` +
      `.then((i) => console.log(JSON.stringify(i)), (e) => { console.error(e.message); process.exit(1); })`;
    const res = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env: cleanEnv(home) });
    assert.equal(res.status, 0, res.stderr);
    const image = JSON.parse(res.stdout) as { imageId: string; regionId: string };
    assert.equal(image.imageId, "img-h8ly274zg9");
    assert.equal(image.regionId, "cn-north-1");
  });
});

describe("instanceDisks against the official models (jdcloud-sdk's InstanceDiskAttachmentSpec and DiskSpec)", () => {
  type Fields = Record<
    "InstanceSpec" | "InstanceDiskAttachmentSpec" | "DiskSpec" | "Image" | "InstanceDiskAttachment" | "LocalDisk",
    string[]
  >;
  let official: Fields;

  before(() => {
    const res = spawnSync(PYTHON, [path.join(__dirname, "py", "models.py")], { encoding: "utf8" });
    assert.equal(res.status, 0, res.stderr);
    official = JSON.parse(res.stdout) as Fields;
  });

  /** Every image of the emulator, as each API describes it, with the wanted disks varied. */
  function everyDisks(): Array<{ what: string; disks: InstanceDisks }> {
    const out: Array<{ what: string; disks: InstanceDisks }> = [];
    for (const { what, image } of everyServedImage()) {
      for (const wanted of [
        {},
        { systemDiskSizeGB: 200, dataDiskSizeGB: 500, autoDelete: false },
        { systemDiskType: "ssd.io1", dataDiskType: "hdd.std1" },
      ]) {
        out.push({ what: `${what} ${JSON.stringify(wanted)}`, disks: instanceDisks(image, wanted) });
      }
      if (image.rootDeviceType === undefined)
        out.push({ what: `${what} local`, disks: instanceDisks(image, { systemDiskCategory: "local" }) });
    }
    return out;
  }

  it("are what the emulator's createInstances checks against: the same field lists", () => {
    assert.deepEqual([...INSTANCE_SPEC_FIELDS].sort(), [...official.InstanceSpec].sort());
    assert.deepEqual([...DISK_ATTACHMENT_SPEC_FIELDS].sort(), [...official.InstanceDiskAttachmentSpec].sort());
    assert.deepEqual([...DISK_SPEC_FIELDS].sort(), [...official.DiskSpec].sort());
  });

  it("emit only fields of the official models, for images of both shapes", () => {
    const cases = everyDisks();
    assert.ok(cases.length > 40);
    for (const { what, disks } of cases) {
      assert.ok(official.InstanceSpec.includes("systemDisk") && official.InstanceSpec.includes("dataDisks"));
      for (const attachment of [disks.systemDisk, ...disks.dataDisks]) {
        for (const key of Object.keys(attachment)) assert.ok(official.InstanceDiskAttachmentSpec.includes(key), `${what}: ${key}`);
        for (const key of Object.keys(attachment.cloudDiskSpec ?? {}))
          assert.ok(official.DiskSpec.includes(key), `${what}: cloudDiskSpec.${key}`);
      }
      for (const d of disks.dataDisks) {
        // A data disk made from a snapshot: snapshotId, diskSizeGB, diskType and name.
        assert.deepEqual(Object.keys(d.cloudDiskSpec).sort(), ["diskSizeGB", "diskType", "name", "snapshotId"], what);
      }
    }
  });

  it("build the SDK's own model objects, with every value kept", () => {
    const attachments = everyDisks().flatMap(({ disks }) => [disks.systemDisk, ...disks.dataDisks]);
    const res = spawnSync(PYTHON, [path.join(__dirname, "py", "models.py"), "--build"], {
      input: JSON.stringify(attachments),
      encoding: "utf8",
    });
    assert.equal(res.status, 0, res.stderr);
    const built = JSON.parse(res.stdout) as Array<Record<string, unknown>>;
    assert.equal(built.length, attachments.length);
    built.forEach((b, i) => {
      const sent = attachments[i] as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(sent)) {
        if (key !== "cloudDiskSpec") assert.deepEqual(b[key], value, key);
      }
      for (const [key, value] of Object.entries((sent["cloudDiskSpec"] as Record<string, unknown>) ?? {})) {
        assert.deepEqual((b["cloudDiskSpec"] as Record<string, unknown>)[key], value, `cloudDiskSpec.${key}`);
      }
    });
  });

  it("read the public vm API's Image fields the SDK models (every vm-only field of Image is one of them)", () => {
    for (const field of VM_IMAGE_FIELDS) assert.ok(official.Image.includes(field), field);
    for (const field of ["diskCategory", "autoDelete", "deviceName", "localDisk", "cloudDisk"])
      assert.ok(official.InstanceDiskAttachment.includes(field), field);
    assert.deepEqual([...official.LocalDisk].sort(), ["diskSizeGB", "diskType"]);
  });
});
