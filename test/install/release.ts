/**
 * What the install suite stands on: the release `npm run release` wrote (dist/release), a loopback
 * HTTP server that stands in for the places users get it from — the release page, the npm registry
 * and PyPI's simple index, answering for this package and redirecting every other request to the
 * real registry — and projects that run with nothing of this checkout: a fresh PULUMI_HOME, their
 * own virtualenv, module cache or node_modules, and a PATH of only the tools named (no `node`).
 */
import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as tar from "tar";
import { InlineResult, ProgramMode, runProgramCommand } from "../../scripts/inline";
import { envWithoutJdcloud } from "../../scripts/toolchain";

const REPO = path.resolve(__dirname, "../..");

/** The release under test and the CLI's bin/, as scripts/install.ts prepared them. */
export function installEnvironment(): { readonly release: string; readonly binDir: string; readonly version: string } {
  const release = process.env["INSTALL_RELEASE_DIR"];
  const binDir = process.env["INSTALL_PULUMI_BIN"];
  if (!release || !binDir) throw new Error("run the install suite with `npm run test:install`, which finds the release and the CLI");
  const { version } = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string };
  return { release, binDir, version };
}

/** A file of the release. */
export function releaseFile(name: string): string {
  return path.join(installEnvironment().release, name);
}

/** The SHA-256 checksums.txt declares, by file. */
export function declaredChecksums(): Map<string, string> {
  const lines = fs.readFileSync(releaseFile("checksums.txt"), "utf8").trim().split("\n");
  return new Map(lines.map((l) => [l.slice(66), l.slice(0, 64)]));
}

/** The release's page on the project's forge: what the schema's pluginDownloadURL names. */
export const RELEASE_PAGE = /^https:\/\/github\.com\/pulumi-jdcloud-image\/pulumi-jdcloud-image\//;

const NPM_REGISTRY = "https://registry.npmjs.org";
const PYPI_SIMPLE = "https://pypi.org/simple";

/** One request the server answered. */
export interface ServedRequest {
  /** When it came (ms since the epoch). */
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

/**
 * The release page (`/releases/download/vX.Y.Z/FILE`), a copy of it whose linux-amd64 plugin has
 * other bytes (`/tampered/...`: the darwin-arm64 tarball under the linux-amd64 name, a valid archive
 * that only a checksum tells apart), the npm registry (`/npm/`) and PyPI's simple index
 * (`/pypi/simple/`) for this package; any other package's request is redirected to the real registry.
 */
export class ReleaseServer {
  readonly requests: ServedRequest[] = [];
  private server: http.Server | undefined;
  private base = "";

  /** The server's root URL, e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    return this.base;
  }

  /** `PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES`: the release page, or its tampered copy, on loopback. */
  pluginOverride(tampered = false): string {
    return `${RELEASE_PAGE.source}=${this.base}${tampered ? "/tampered" : ""}/releases/download/v\${VERSION}/`;
  }

  /** The npm registry URL for `npm_config_registry`. */
  get npmRegistry(): string {
    return `${this.base}/npm/`;
  }

  /** The simple index for `PIP_INDEX_URL`. */
  get pypiIndex(): string {
    return `${this.base}/pypi/simple/`;
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => {
      const status = this.answer(req.method ?? "GET", req.url ?? "/", res);
      this.requests.push({ at: Date.now(), method: req.method ?? "GET", path: req.url ?? "/", status });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.server = server;
    this.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The requests for a path matching `pattern`. */
  served(pattern: RegExp): ServedRequest[] {
    return this.requests.filter((r) => pattern.test(r.path));
  }

  private answer(method: string, url: string, res: http.ServerResponse): number {
    const { version, release } = installEnvironment();
    const send = (status: number, body: Buffer | string, type: string): number => {
      res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
      res.end(method === "HEAD" ? undefined : body);
      return status;
    };
    const redirect = (to: string): number => {
      res.writeHead(307, { location: to });
      res.end();
      return 307;
    };
    const page = new RegExp(`^(/tampered)?/releases/download/v${version.replace(/\./g, "\\.")}/([\\w.-]+)$`).exec(url);
    if (page) {
      const [, tampered, name = ""] = page;
      let file = path.join(release, name);
      if (tampered && name.endsWith("-linux-amd64.tar.gz")) file = file.replace("-linux-amd64.tar.gz", "-darwin-arm64.tar.gz");
      return fs.existsSync(file) ? send(200, fs.readFileSync(file), "application/octet-stream") : send(404, "not found\n", "text/plain");
    }
    if (url.startsWith("/npm/")) {
      const rest = url.slice("/npm/".length);
      if (rest === "pulumi-jdcloud-image") return send(200, JSON.stringify(npmPackument(this.base, version)), "application/json");
      return redirect(`${NPM_REGISTRY}/${rest}`);
    }
    if (url.startsWith("/pypi/simple/")) {
      const name = url.slice("/pypi/simple/".length).replace(/\/$/, "");
      if (name === "pulumi-jdcloud-image") return send(200, pypiPage(version), "text/html");
      return redirect(`${PYPI_SIMPLE}/${name}/`);
    }
    return send(404, "not found\n", "text/plain");
  }
}

/** The npm registry's document for this package: the packed package.json, with the tarball's address and integrity. */
function npmPackument(base: string, version: string): Record<string, unknown> {
  const name = `pulumi-jdcloud-image-${version}.tgz`;
  const file = releaseFile(name);
  const data = fs.readFileSync(file);
  let manifest: Record<string, unknown> = {};
  tar.t({
    file,
    sync: true,
    onReadEntry: (entry) => {
      if (entry.path !== "package/package.json") return entry.resume();
      const chunks: Buffer[] = [];
      entry.on("data", (c: Buffer) => chunks.push(c));
      entry.on("end", () => (manifest = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>));
    },
  });
  assert.equal(manifest["version"], version, "the packed package.json");
  const dist = {
    tarball: `${base}/releases/download/v${version}/${name}`,
    integrity: `sha512-${createHash("sha512").update(data).digest("base64")}`,
    shasum: createHash("sha1").update(data).digest("hex"),
  };
  return {
    name: "pulumi-jdcloud-image",
    "dist-tags": { latest: version },
    versions: { [version]: { ...manifest, _id: `pulumi-jdcloud-image@${version}`, dist } },
  };
}

/** PEP 503's page for this project: the wheel and the sdist, with their SHA-256. */
function pypiPage(version: string): string {
  const files = [`pulumi_jdcloud_image-${version}-py3-none-any.whl`, `pulumi_jdcloud_image-${version}.tar.gz`];
  const sums = declaredChecksums();
  const links = files.map((f) => `<a href="/releases/download/v${version}/${f}#sha256=${sums.get(f) ?? ""}">${f}</a><br/>`);
  return `<!DOCTYPE html>\n<html><body>\n${links.join("\n")}\n</body></html>\n`;
}

/** A folder holding only links to the named executables: a PATH with nothing else on it (no `node`). */
export function toolsOnly(tools: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jdcloud-image-tools-"));
  for (const [name, target] of Object.entries(tools)) {
    assert.ok(fs.existsSync(target), `${name}: ${target} exists`);
    fs.symlinkSync(target, path.join(dir, name));
  }
  assert.ok(!fs.existsSync(path.join(dir, "node")), "no node on the PATH");
  return dir;
}

/**
 * A Pulumi project in a scratch folder, its state and PULUMI_HOME beside it (fresh: an empty plugin
 * cache), run with the PATH given and nothing of this checkout.
 */
export class InstallProject {
  readonly root: string;
  readonly dir: string;
  readonly home: string;
  readonly transcript: string[] = [];
  /** When the project was made (ms since the epoch). */
  readonly started = Date.now();

  /** The folders on PATH, and only those. */
  path: readonly string[] = [];
  /** More environment for every command. */
  extraEnv: Record<string, string> = {};

  constructor(
    readonly name: string,
    readonly runtime: string,
    readonly mode: ProgramMode,
  ) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), `jdcloud-image-install-${name}-`));
    this.dir = path.join(this.root, "project");
    this.home = path.join(this.root, "pulumi-home");
    fs.mkdirSync(this.dir);
    fs.mkdirSync(path.join(this.root, "state"));
  }

  /** Writes a file of the project. */
  write(rel: string, text: string): void {
    fs.mkdirSync(path.dirname(path.join(this.dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(this.dir, rel), text);
  }

  /** The environment of every command: the PATH given, a file backend, a fresh PULUMI_HOME, no JDCLOUD_*. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return envWithoutJdcloud({
      PATH: this.path.join(path.delimiter),
      HOME: this.root,
      PULUMI_HOME: this.home,
      PULUMI_BACKEND_URL: `file://${path.join(this.root, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "install-passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
      NO_COLOR: "1",
      ...this.extraEnv,
      ...extra,
    });
  }

  /** Runs `pulumi <args>` (preview and up inline where the mode says so); resolves with its exit code and output. */
  async run(args: string[], extra: Record<string, string> = {}, nodeBin?: string): Promise<InlineResult> {
    const { binDir } = installEnvironment();
    const how = { mode: this.mode, runtime: this.runtime, stack: "install", runtimes: nodeBin ? { nodeBin } : {} };
    const result = await runProgramCommand(binDir, args, this.dir, this.env(extra), how);
    this.transcript.push(result.output);
    return result;
  }

  /** Runs a command that must succeed. */
  async ok(args: string[], extra: Record<string, string> = {}, nodeBin?: string): Promise<InlineResult> {
    const result = await this.run(args, extra, nodeBin);
    assert.equal(result.code, 0, `pulumi ${args.join(" ")} exited ${result.code}:\n${result.output}`);
    return result;
  }

  /** Creates the stack `install` with the emulator's settings, the secret key with --secret. */
  async init(settings: { endpoint: string; accessKey: string; secretKey: string }): Promise<void> {
    await this.ok(["stack", "init", "install"]);
    await this.ok(["config", "set", "jdcloud-image:endpoint", settings.endpoint]);
    await this.ok(["config", "set", "jdcloud-image:region", "cn-north-1"]);
    await this.ok(["config", "set", "jdcloud-image:accessKey", settings.accessKey]);
    await this.ok(["config", "set", "--secret", "jdcloud-image:secretKey", settings.secretKey]);
  }

  /** The stack's outputs, as `pulumi stack output --json` gives them. */
  async outputs(): Promise<Record<string, unknown>> {
    return JSON.parse((await this.ok(["stack", "output", "--json", "--stack", "install"])).output) as Record<string, unknown>;
  }

  /** The plugin folders in the project's PULUMI_HOME. */
  installedPlugins(): string[] {
    const dir = path.join(this.home, "plugins");
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.endsWith(".partial"))
      .map((e) => e.name);
  }

  remove(): void {
    fs.chmodSync(this.root, 0o755);
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
