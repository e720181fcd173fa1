/**
 * Installing from the release alone, as users of a registry provider do: the SDK of each language
 * from its registry (here: the loopback stand-ins, which serve dist/release and send every other
 * package to the real registry), the README's install lines run as written, and the plugin
 * downloaded by the engine from the release page the SDK names (PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES
 * points that page at loopback) into a fresh PULUMI_HOME. Python, Go and YAML run with no `node` on
 * PATH: the linux-amd64 plugin carries its own.
 */
import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tar from "tar";
import { startEmulator, type Emulator } from "../../emulator";
import { TOOLCHAIN, nodeBinDir, which } from "../../scripts/toolchain";
import { hasStackTrace } from "../e2e/stack";
import { snippet } from "../support/readme";
import { InstallProject, ReleaseServer, declaredChecksums, installEnvironment, releaseFile, toolsOnly } from "./release";

const IMAGE = "img-h8ly274zg9";

/** The README's install line for a language (the line that starts with `command`). */
function installLine(command: string): string {
  const line = snippet("install")
    .text.split("\n")
    .find((l) => l.startsWith(`${command} `));
  assert.ok(line, `the README's install block has a ${command} line`);
  return line;
}

/** Runs a shell line as written, in `cwd`, with `env`; resolves with its exit code and output. */
function shell(line: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("/bin/bash", ["-e", "-c", line], { cwd, env });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

/** The bytes of one file inside a .tar.gz, by name. */
function fileInTarball(tarball: string, name: string): Buffer {
  const chunks: Buffer[] = [];
  tar.t({
    file: tarball,
    sync: true,
    onReadEntry: (entry) => {
      if (entry.path === name) entry.on("data", (c: Buffer) => chunks.push(c));
      else entry.resume();
    },
  });
  assert.ok(chunks.length > 0, `${path.basename(tarball)} holds ${name}`);
  return Buffer.concat(chunks);
}

const sha256 = (data: Buffer): string => createHash("sha256").update(data).digest("hex");

/** Each run's caches of public packages, kept: a fresh PULUMI_HOME does not need a cold pip or Go build cache. */
function machineCaches(): Record<string, string> {
  const go = (name: string): string => spawnSync("go", ["env", name], { encoding: "utf8" }).stdout.trim();
  return {
    PIP_CACHE_DIR: process.env["PIP_CACHE_DIR"] || path.join(process.env["HOME"] ?? "/root", ".cache", "pip"),
    npm_config_cache: spawnSync("npm", ["config", "get", "cache"], { encoding: "utf8" }).stdout.trim(),
    GOCACHE: go("GOCACHE"),
    GO_DOWNLOADS: path.join(go("GOMODCACHE"), "cache", "download"),
  };
}

describe("installing from the release alone", function () {
  this.timeout(1_200_000);
  const { binDir, version } = installEnvironment();
  const server = new ReleaseServer();
  let emulator: Emulator;
  let caches: Record<string, string>;
  const plugin = `resource-jdcloud-image-v${version}`;
  const linuxTarball = `pulumi-resource-jdcloud-image-v${version}-linux-amd64.tar.gz`;

  before(async () => {
    caches = machineCaches();
    await server.start();
    emulator = await startEmulator({});
  });
  after(async () => {
    await emulator?.close();
    await server.close();
  });

  /** Checks what the engine fetched and installed: the linux-amd64 tarball once, unpacked into the plugin cache. */
  function assertPluginDownloaded(project: InstallProject): void {
    assert.deepEqual(project.installedPlugins(), [plugin], "the plugin cache holds the plugin");
    const downloads = server.served(new RegExp(`^/releases/download/v${version}/${linuxTarball}$`));
    assert.equal(downloads.filter((r) => r.at >= project.started).length, 1, "downloaded once into this project's fresh plugin cache");
    const installed = fs.readFileSync(path.join(project.home, "plugins", plugin, "pulumi-resource-jdcloud-image"));
    assert.equal(sha256(installed), sha256(fileInTarball(releaseFile(linuxTarball), "pulumi-resource-jdcloud-image")));
    assert.ok(installed.length > 50_000_000, "the self-contained plugin, with its own Node.js");
  }

  /** Previews (the plugin downloaded into the fresh cache, the image's values shown), then deploys and reads the outputs. */
  async function previewThenDeploy(project: InstallProject): Promise<void> {
    const { output } = await project.ok(["preview", "--stack", "install"]);
    assert.match(output, /platform\s*: "Ubuntu"/);
    assert.ok(!hasStackTrace(output), output);
    assertPluginDownloaded(project);
    await project.ok(["up", "--yes", "--stack", "install"]);
    assert.deepEqual(await project.outputs(), { platform: "Ubuntu", systemDiskSizeGB: 60 });
    assertPluginDownloaded(project);
    assert.ok(!project.transcript.join("\n").includes(emulator.secretKey), "the secret key in the CLI's output");
  }

  describe("Python: pip installs the wheel, the engine downloads the plugin (no node on PATH)", () => {
    let project: InstallProject;
    const tools = (): string => toolsOnly({ pulumi: path.join(binDir, "pulumi") });

    before(async () => {
      const served = server.requests.length;
      const python = which("python3.11") ?? which("python3");
      assert.ok(python, "python3 is on this machine's PATH");
      project = new InstallProject("python", "python", "inline");
      // The venv's bin/ first, as an activated virtualenv puts it.
      project.path = [path.join(project.dir, "venv", "bin"), tools()];
      project.extraEnv = { PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES: server.pluginOverride() };
      const env = project.env({ PIP_INDEX_URL: server.pypiIndex, PIP_CACHE_DIR: caches["PIP_CACHE_DIR"] ?? "" });
      delete env["PIP_FIND_LINKS"];
      assert.equal(spawnSync(python, ["-m", "venv", path.join(project.dir, "venv")]).status, 0);
      const pip = await shell(installLine("pip install"), project.dir, env);
      assert.equal(pip.code, 0, pip.output);
      const wheels = server.requests.slice(served).filter((r) => /\.whl$|\.tar\.gz$/.test(r.path));
      assert.deepEqual(
        wheels.map((r) => path.basename(r.path)),
        [`pulumi_jdcloud_image-${version}-py3-none-any.whl`],
        "pip took the wheel",
      );
      project.write("Pulumi.yaml", "name: install-python\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n");
      project.write(
        "__main__.py",
        [
          "import pulumi",
          "import pulumi_jdcloud_image as jdcloud_image",
          "",
          `image = jdcloud_image.get_image_output(image_id="${IMAGE}", require={"os_type": ["linux"]})`,
          'pulumi.export("platform", image.platform)',
          'pulumi.export("systemDiskSizeGB", image.system_disk_size_gb)',
          "",
        ].join("\n"),
      );
      await project.init(emulator);
    });
    after(() => project?.remove());

    it("previews and deploys: the plugin is downloaded from the release page into the fresh plugin cache, and the outputs are exported", async () => {
      assert.deepEqual(project.installedPlugins(), []);
      await previewThenDeploy(project);
      assert.ok(emulator.requests.some((r) => r.imageId === IMAGE && r.accessKey === emulator.accessKey));
    });
  });

  describe("Go: go get of the module from a GOPROXY, no replace (no node on PATH)", () => {
    let project: InstallProject;

    before(async () => {
      const goBinary = which("go");
      assert.ok(goBinary, "go is on this machine's PATH");
      project = new InstallProject("go", "go", "inline");
      project.path = [toolsOnly({ pulumi: path.join(binDir, "pulumi"), go: fs.realpathSync(goBinary) })];
      project.extraEnv = {
        // The release's module first; every other module from this machine's download cache, else the proxy.
        GOPROXY: `file://${path.join(installEnvironment().release, "goproxy")},file://${caches["GO_DOWNLOADS"]},https://proxy.golang.org`,
        // sum.golang.org learns a module when its tag is public; this one is not public yet.
        GONOSUMDB: "github.com/pulumi-jdcloud-image",
        GOPATH: path.join(project.root, "go"),
        GOMODCACHE: path.join(project.root, "gomodcache"),
        GOCACHE: caches["GOCACHE"] ?? "",
        GOFLAGS: "-modcacherw -buildvcs=false",
        GOTOOLCHAIN: "local",
        CGO_ENABLED: "0",
        PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES: server.pluginOverride(),
      };
      const env = project.env();
      for (const line of ["go mod init example.com/install-go", installLine("go get")]) {
        const res = await shell(line, project.dir, env);
        assert.equal(res.code, 0, `${line}\n${res.output}`);
      }
      const mod = fs.readFileSync(path.join(project.dir, "go.mod"), "utf8");
      assert.match(mod, new RegExp(`github\\.com/pulumi-jdcloud-image/pulumi-jdcloud-image/sdk v${version.replace(/\./g, "\\.")}`));
      assert.ok(!/^replace/m.test(mod), "no replace");
      project.write("Pulumi.yaml", "name: install-go\nruntime: go\n");
      project.write(
        "main.go",
        'package main\n\nimport "github.com/pulumi/pulumi/sdk/v3/go/pulumi"\n\nfunc main() { pulumi.Run(program) }\n',
      );
      project.write(
        "program.go",
        [
          "package main",
          "",
          "import (",
          '\t"github.com/pulumi-jdcloud-image/pulumi-jdcloud-image/sdk/go/jdcloudimage"',
          '\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi"',
          ")",
          "",
          "func program(ctx *pulumi.Context) error {",
          "\timage := jdcloudimage.GetImageOutput(ctx, jdcloudimage.GetImageOutputArgs{",
          `\t\tImageId: pulumi.String("${IMAGE}"),`,
          '\t\tRequire: jdcloudimage.ImageRequirementsArgs{OsType: pulumi.ToStringArray([]string{"linux"})},',
          "\t})",
          '\tctx.Export("platform", image.Platform())',
          '\tctx.Export("systemDiskSizeGB", image.SystemDiskSizeGB())',
          "\treturn nil",
          "}",
          "",
        ].join("\n"),
      );
      await project.init(emulator);
    });
    after(() => project?.remove());

    it("fetched the SDK from the release's module zip, with the hash the go.sum records", () => {
      const sum = fs.readFileSync(path.join(project.dir, "go.sum"), "utf8");
      const line = sum.split("\n").find((l) => l.startsWith(`github.com/pulumi-jdcloud-image/pulumi-jdcloud-image/sdk v${version} h1:`));
      assert.ok(line, sum);
      const res = spawnSync("go", ["mod", "verify"], { cwd: project.dir, env: project.env(), encoding: "utf8" });
      assert.equal(res.status, 0, res.stderr);
    });

    it("previews and deploys: the plugin is downloaded from the release page, and the outputs are exported", () =>
      previewThenDeploy(project));
  });

  describe("YAML: a program with the release's lock file and nothing else (no node on PATH)", () => {
    let project: InstallProject;

    before(async () => {
      const toolDir = toolsOnly({
        pulumi: path.join(binDir, "pulumi"),
        "pulumi-language-yaml": path.join(binDir, "pulumi-language-yaml"),
      });
      project = new InstallProject("yaml", "yaml", "file");
      project.path = [toolDir];
      project.extraEnv = { PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES: server.pluginOverride() };
      fs.copyFileSync(releaseFile(`jdcloud-image-${version}.yaml`), path.join(project.dir, `jdcloud-image-${version}.yaml`));
      project.write(
        "Pulumi.yaml",
        [
          "name: install-yaml",
          "runtime: yaml",
          "variables:",
          "  image:",
          "    fn::invoke:",
          "      function: jdcloud-image:index:getImage",
          "      arguments:",
          `        imageId: ${IMAGE}`,
          "outputs:",
          "  platform: ${image.platform}",
          "  systemDiskSizeGB: ${image.systemDiskSizeGB}",
          "",
        ].join("\n"),
      );
      await project.init(emulator);
    });
    after(() => project?.remove());

    it("is the lock file the README shows", () => {
      assert.equal(fs.readFileSync(releaseFile(`jdcloud-image-${version}.yaml`), "utf8"), snippet("yaml-lock").text);
    });

    it("previews and deploys: the plugin is downloaded from the release page the lock file names", () => previewThenDeploy(project));
  });

  describe("TypeScript: npm install of the package alone into an empty project", () => {
    let project: InstallProject;
    let node22: string;

    before(async () => {
      // The newest @pulumi/pulumi, which npm picks, needs Node.js 22.
      node22 = nodeBinDir(TOOLCHAIN.node22);
      const npm = which("npm");
      assert.ok(npm);
      project = new InstallProject("nodejs", "nodejs", "inline");
      project.path = [toolsOnly({ pulumi: path.join(binDir, "pulumi") }), node22, path.dirname(npm)];
      project.extraEnv = {
        npm_config_registry: server.npmRegistry,
        npm_config_cache: caches["npm_config_cache"] ?? "",
        npm_config_audit: "false",
        npm_config_fund: "false",
        npm_config_update_notifier: "false",
      };
      // What `pulumi new typescript` starts from, before its dependencies.
      project.write("package.json", `${JSON.stringify({ name: "install-nodejs", main: "index.ts" }, null, 2)}\n`);
      project.write("Pulumi.yaml", "name: install-nodejs\nruntime: nodejs\n");
      const res = await shell(installLine("npm install"), project.dir, project.env());
      assert.equal(res.code, 0, `${installLine("npm install")}\n${res.output}`);
      project.write(
        "index.ts",
        [
          'import { getImageOutput } from "pulumi-jdcloud-image";',
          "",
          `const image = getImageOutput({ imageId: "${IMAGE}", require: { osType: "linux" } });`,
          "export const platform = image.platform;",
          "export const systemDiskSizeGB = image.systemDiskSizeGB;",
          "",
        ].join("\n"),
      );
      await project.init(emulator);
    });
    after(() => project?.remove());

    it("installs the release's tarball: the TypeScript SDK and the emulator, no plugin and no Python or Go SDK", () => {
      assert.equal(server.served(/^\/npm\/pulumi-jdcloud-image$/).length, 1, "npm asked the registry for the package");
      // npm takes the tarball from its cache when it holds those bytes already: the lock file's integrity says which bytes.
      const lock = JSON.parse(fs.readFileSync(path.join(project.dir, "package-lock.json"), "utf8")) as {
        packages: Record<string, { integrity?: string; version?: string }>;
      };
      const tarball = fs.readFileSync(releaseFile(`pulumi-jdcloud-image-${version}.tgz`));
      assert.equal(
        lock.packages["node_modules/pulumi-jdcloud-image"]?.integrity,
        `sha512-${createHash("sha512").update(tarball).digest("base64")}`,
      );
      const installed = path.join(project.dir, "node_modules", "pulumi-jdcloud-image");
      assert.equal((JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")) as { version: string }).version, version);
      for (const present of ["dist/sdk/nodejs/index.js", "dist/emulator/bin.js", "README.md", "LICENSE"]) {
        assert.ok(fs.existsSync(path.join(installed, present)), present);
      }
      for (const absent of ["bin", "sdk", "plugin"])
        assert.ok(!fs.existsSync(path.join(installed, absent)), `${absent}/ is not in the package`);
      assert.ok(fs.existsSync(path.join(project.dir, "node_modules", ".bin", "jdcloud-image-emulator")));
    });

    it("deploys a program in-process, with no plugin", async () => {
      await project.ok(["up", "--yes", "--stack", "install"], {}, node22);
      assert.deepEqual(await project.outputs(), { platform: "Ubuntu", systemDiskSizeGB: 60 });
      assert.deepEqual(
        project.installedPlugins().filter((p) => p.includes("jdcloud")),
        [],
      );
    });
  });

  describe("the plugin's checksum", () => {
    let project: InstallProject;
    const checksum = (): string => declaredChecksums().get(linuxTarball) ?? "";
    // As the README says to run it: the release page named, so the CLI asks no package registry.
    const install = (): string[] => {
      const line = /pulumi plugin install resource jdcloud-image \S+ --server (\S+) --checksum SHA256/.exec(
        fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8"),
      );
      assert.ok(line, "the README shows the install with --server and --checksum");
      return ["plugin", "install", "resource", "jdcloud-image", version, "--server", line[1] ?? "", "--checksum", checksum()];
    };

    beforeEach(() => {
      project = new InstallProject("checksum", "yaml", "file");
      project.path = [toolsOnly({ pulumi: path.join(binDir, "pulumi") })];
    });
    afterEach(() => project?.remove());

    it("refuses a tarball whose bytes differ from the one checksums.txt declares, and installs nothing", async () => {
      const refused = await project.run(install(), { PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES: server.pluginOverride(true) });
      assert.notEqual(refused.code, 0, refused.output);
      assert.match(refused.output, /checksum/i);
      assert.ok(refused.output.includes(checksum()), "names the checksum it expected");
      assert.deepEqual(project.installedPlugins(), []);
    });

    it("installs the release's tarball, whose bytes match", async () => {
      await project.ok(install(), { PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES: server.pluginOverride() });
      assert.deepEqual(project.installedPlugins(), [plugin]);
    });

    it("installs a downloaded tarball with --file, for a machine that cannot reach the release page", async () => {
      await project.ok(["plugin", "install", "resource", "jdcloud-image", version, "--file", releaseFile(linuxTarball)]);
      assert.deepEqual(project.installedPlugins(), [plugin]);
      const listed = await project.ok(["plugin", "ls"]);
      assert.match(listed.output, new RegExp(`jdcloud-image\\s+resource\\s+${version.replace(/\./g, "\\.")}`));
    });
  });
});
