/**
 * The release's artifacts as `npm run release` wrote them: each file declared in checksums.txt,
 * one version everywhere, each plugin tarball holding one executable of its target's format, and
 * the executables that run on this machine served as the engine serves them: the linux-amd64
 * plugin with an empty environment (`env -i`), the darwin-arm64 launcher with and without Node.js.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tar from "tar";
import { startEmulator, type Emulator } from "../../emulator";
import {
  LAUNCHER_MIN_NODE,
  PLUGIN_TARGETS,
  SEA_FUSE,
  pluginExecutableName,
  pluginTarballName,
  sha256,
} from "../../scripts/release/plugins";
import { ProviderProcess, call, configureRequest, empty, message, startProvider, struct, toJs } from "../support/grpcProvider";
import { declaredChecksums, installEnvironment, releaseFile, toolsOnly } from "./release";

const { version, release } = installEnvironment();
const MODULE = "github.com/pulumi-jdcloud-image/pulumi-jdcloud-image/sdk";
const DOWNLOAD_URL = "https://github.com/pulumi-jdcloud-image/pulumi-jdcloud-image/releases/download/v${VERSION}/";

/** Every file under `dir`, relative, with `/`. */
function filesUnder(dir: string, rel = ""): string[] {
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(dir, path.join(rel, e.name)) : [path.join(rel, e.name).split(path.sep).join("/")]))
    .sort();
}

/** One member of a zip (a wheel, the Go module), read with Python's zipfile. */
function zipMember(file: string, member: string): string {
  const script = "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())";
  const res = spawnSync("python3", ["-c", script, file, member], { encoding: "utf8" });
  assert.equal(res.status, 0, `${path.basename(file)}: ${member}: ${res.stderr}`);
  return res.stdout;
}

/** The entries of a .tar.gz with their modes, and their bytes. */
function tarEntries(file: string): Map<string, { mode: number; data: Buffer }> {
  const entries = new Map<string, { mode: number; data: Buffer }>();
  tar.t({
    file,
    sync: true,
    onReadEntry: (entry) => {
      const chunks: Buffer[] = [];
      entry.on("data", (c: Buffer) => chunks.push(c));
      entry.on("end", () => entries.set(entry.path, { mode: entry.mode ?? 0, data: Buffer.concat(chunks) }));
    },
  });
  return entries;
}

/** Unpacks a plugin tarball into a new folder; returns the executable's path. */
function unpack(target: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jdcloud-image-plugin-${target}-`));
  tar.x({ file: releaseFile(pluginTarballName(version, target)), cwd: dir, sync: true });
  return path.join(dir, pluginExecutableName(target));
}

describe("the release's artifacts (dist/release)", () => {
  it("are each declared in checksums.txt with their SHA-256, and nothing else is", () => {
    const declared = declaredChecksums();
    const files = filesUnder(release).filter((f) => f !== "checksums.txt");
    assert.deepEqual([...declared.keys()].sort(), files);
    for (const [file, sum] of declared) assert.equal(sha256(path.join(release, file)), sum, file);
  });

  it("are the npm tarball, the Python wheel and sdist, the Go module, the YAML lock file and a plugin per target, all of one version", () => {
    const names = new Set(filesUnder(release));
    const expected = [
      `pulumi-jdcloud-image-${version}.tgz`,
      `pulumi_jdcloud_image-${version}-py3-none-any.whl`,
      `pulumi_jdcloud_image-${version}.tar.gz`,
      `goproxy/${MODULE}/@v/v${version}.zip`,
      `goproxy/${MODULE}/@v/v${version}.mod`,
      `goproxy/${MODULE}/@v/v${version}.info`,
      `goproxy/${MODULE}/@v/list`,
      `jdcloud-image-${version}.yaml`,
      ...PLUGIN_TARGETS.map((t) => pluginTarballName(version, t.target)),
    ];
    for (const name of expected) assert.ok(names.has(name), name);
    assert.equal(names.size, expected.length + 1, "and checksums.txt, nothing more");
  });

  it("carry pulumi-plugin.json naming the plugin, its version and the release page, in the wheel, the sdist and the Go module", () => {
    const wanted = { resource: true, name: "jdcloud-image", version, server: DOWNLOAD_URL };
    const wheel = releaseFile(`pulumi_jdcloud_image-${version}-py3-none-any.whl`);
    assert.deepEqual(JSON.parse(zipMember(wheel, "pulumi_jdcloud_image/pulumi-plugin.json")), wanted);
    assert.match(zipMember(wheel, `pulumi_jdcloud_image-${version}.dist-info/METADATA`), new RegExp(`^Version: ${version}$`, "m"));
    const sdist = tarEntries(releaseFile(`pulumi_jdcloud_image-${version}.tar.gz`));
    const sdistPlugin = sdist.get(`pulumi_jdcloud_image-${version}/pulumi_jdcloud_image/pulumi-plugin.json`);
    assert.ok(sdistPlugin, [...sdist.keys()].join("\n"));
    assert.deepEqual(JSON.parse(sdistPlugin.data.toString()), wanted);
    const goZip = releaseFile(`goproxy/${MODULE}/@v/v${version}.zip`);
    assert.deepEqual(JSON.parse(zipMember(goZip, `${MODULE}@v${version}/go/jdcloudimage/pulumi-plugin.json`)), wanted);
    const info = JSON.parse(fs.readFileSync(releaseFile(`goproxy/${MODULE}/@v/v${version}.info`), "utf8")) as { Version: string };
    assert.equal(info.Version, `v${version}`);
    assert.match(fs.readFileSync(releaseFile(`jdcloud-image-${version}.yaml`), "utf8"), new RegExp(`^version: ${version}$`, "m"));
  });

  for (const target of PLUGIN_TARGETS) {
    it(`${target.target}: one top-level executable, ${target.kind === "sea" ? "a single executable application of the target's Node.js" : "a launcher of the bundle on the node on PATH"}`, () => {
      const entries = tarEntries(releaseFile(pluginTarballName(version, target.target)));
      const executables = [...entries].filter(([, e]) => (e.mode & 0o111) !== 0).map(([name]) => name);
      assert.deepEqual(executables, [pluginExecutableName(target.target)]);
      assert.ok(
        [...entries.keys()].every((name) => !name.includes("/")),
        "every entry at the top level",
      );
      assert.ok(entries.has("LICENSE"));
      const exe = entries.get(pluginExecutableName(target.target))?.data ?? Buffer.alloc(0);
      // The bundle is inside, with the schema of this version.
      assert.ok(exe.includes("pulumi-resource-jdcloud-image could not start"), "the plugin's bundle");
      assert.ok(exe.includes(`"version": "${version}"`) || exe.includes(`version: "${version}"`), "this version");
      if (target.kind === "launcher") {
        assert.equal(exe.subarray(0, 10).toString(), "#!/bin/sh\n");
        return;
      }
      assert.ok(entries.has("LICENSE.node"), "Node.js's license beside the Node.js it carries");
      assert.ok(exe.includes(`${SEA_FUSE}:1`), "the SEA fuse is set: Node.js runs the injected bundle");
      if (target.format === "elf") {
        assert.equal(exe.subarray(0, 4).toString("latin1"), "\x7fELF");
        assert.equal(exe.readUInt16LE(18), target.target === "linux-amd64" ? 0x3e : 0xb7, "e_machine");
      } else if (target.format === "macho") {
        assert.equal(exe.readUInt32LE(0), 0xfeedfacf, "64-bit Mach-O");
        assert.equal(exe.readUInt32LE(4), 0x01000007, "x86_64");
        const commands = exe.readUInt32LE(16);
        let offset = 32;
        const found: number[] = [];
        for (let i = 0; i < commands; i++) {
          found.push(exe.readUInt32LE(offset));
          offset += exe.readUInt32LE(offset + 4);
        }
        assert.ok(!found.includes(0x1d), "no LC_CODE_SIGNATURE: the official signature, which the injection would break, is removed");
        assert.ok(exe.includes("NODE_SEA"), "the NODE_SEA segment");
      } else {
        assert.equal(exe.subarray(0, 2).toString(), "MZ");
        const pe = exe.readUInt32LE(0x3c);
        assert.equal(exe.subarray(pe, pe + 4).toString("latin1"), "PE\0\0");
        assert.equal(exe.readUInt16LE(pe + 4), 0x8664, "AMD64");
        // PE32+: the optional header starts at pe+24; the data directories at +112; the certificate table is the fifth.
        assert.equal(exe.readUInt16LE(pe + 24), 0x20b);
        assert.equal(exe.readUInt32LE(pe + 24 + 112 + 4 * 8 + 4), 0, "no Authenticode certificate table");
      }
    });
  }
});

describe("the linux-amd64 plugin, served with an empty environment (env -i)", function () {
  this.timeout(60_000);
  let emulator: Emulator;
  let plugin: ProviderProcess;

  before(async () => {
    emulator = await startEmulator({});
    plugin = await startProvider("/usr/bin/env", ["-i", unpack("linux-amd64")]);
  });
  after(async () => {
    plugin?.close();
    await emulator?.close();
  });

  it("answers GetPluginInfo with the release's version", async () => {
    const info = await call(plugin.client, "getPluginInfo", empty());
    assert.equal(info["getVersion"]?.(), version);
  });

  it("answers GetSchema with the schema of this version and its download URL", async () => {
    const res = await call(plugin.client, "getSchema", message("GetSchemaRequest", { setVersion: 0 }));
    const schema = JSON.parse(String(res["getSchema"]?.())) as { name: string; version: string; pluginDownloadURL: string };
    assert.deepEqual([schema.name, schema.version, schema.pluginDownloadURL], ["jdcloud-image", version, DOWNLOAD_URL]);
  });

  it("configures and looks an image up against the emulator", async () => {
    const { endpoint, accessKey, secretKey } = emulator;
    await call(plugin.client, "configure", configureRequest({ endpoint, accessKey, secretKey, region: "cn-north-1" }));
    const res = await call(
      plugin.client,
      "invoke",
      message("InvokeRequest", { setTok: "jdcloud-image:index:getImage", setArgs: struct({ imageId: "img-h8ly274zg9" }) }),
    );
    const image = toJs(res["getReturn"]?.());
    assert.equal(image["platform"], "Ubuntu");
    assert.equal(image["systemDiskSizeGB"], 60);
    assert.ok(emulator.requests.some((r) => r.imageId === "img-h8ly274zg9" && r.accessKey === accessKey));
    assert.ok(!plugin.stderr().includes(secretKey));
  });
});

describe("the darwin-arm64 launcher (run here: it is a POSIX shell script and the bundle in one file)", function () {
  this.timeout(60_000);
  let launcher: string;
  before(() => {
    launcher = unpack("darwin-arm64");
  });

  it("says in one sentence that it needs Node.js, when none is on PATH", () => {
    const res = spawnSync(launcher, [], { env: { PATH: toolsOnly({ sh: "/bin/sh" }) }, encoding: "utf8" });
    assert.equal(res.status, 1);
    assert.equal(
      res.stderr,
      `pulumi-resource-jdcloud-image v${version} for darwin-arm64 runs on the Node.js on PATH and needs Node.js ${LAUNCHER_MIN_NODE} or later (found: none); install Node.js ${LAUNCHER_MIN_NODE} or later (https://nodejs.org) and run pulumi again.\n`,
    );
  });

  it("names the Node.js it found when that is too old", () => {
    const fake = fs.mkdtempSync(path.join(os.tmpdir(), "jdcloud-image-old-node-"));
    fs.writeFileSync(path.join(fake, "node"), `#!/bin/sh\ncase "$1" in --version) echo v18.20.4 ;; -e) exit 1 ;; esac\n`, { mode: 0o755 });
    const res = spawnSync(launcher, [], { env: { PATH: `${fake}:${toolsOnly({ sh: "/bin/sh" })}` }, encoding: "utf8" });
    assert.equal(res.status, 1);
    assert.match(res.stderr, /needs Node\.js 20 or later \(found: v18\.20\.4\)/);
  });

  it("serves the plugin with the node on PATH", async () => {
    const plugin = await startProvider(launcher, [], {
      env: { PATH: `${path.dirname(process.execPath)}:${toolsOnly({ sh: "/bin/sh" })}` },
    });
    try {
      const info = await call(plugin.client, "getPluginInfo", empty());
      assert.equal(info["getVersion"]?.(), version);
    } finally {
      plugin.close();
    }
  });
});
