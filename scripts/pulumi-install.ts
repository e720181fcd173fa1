/**
 * npm run pulumi:install — make the official Pulumi toolchain available and print its `bin/` as
 * the last line of stdout. In this order:
 *
 *   1. a `pulumi` on PATH (a real user's install) with its Node.js language host;
 *   2. a cached `bin/` whose every binary answers `version` with the pinned version;
 *   3. the official installer (`PulumiCommand.install`) where the internet is reachable;
 *   4. a build from the Go module proxy: the CLI from `pkg/v3`, the Node.js, Python and Go hosts
 *      from their modules or, where the proxy refuses them, from `$PULUMI_HOSTS_SOURCE` (default
 *      `../shared/pulumi-hosts` beside the checkout) with its `build.sh`, and the YAML host;
 *   5. otherwise one paragraph on how to install Pulumi, and exit 1.
 *
 * `pulumi-resource-pulumi-nodejs` (the dynamic-provider plugin) ships in `@pulumi/pulumi` and is
 * copied beside the CLI. Flags: `--build` skips 1–3.
 */
import { spawnSync, SpawnSyncOptions } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  LANGUAGE_HOSTS,
  NO_CLI_HELP,
  REPO_ROOT,
  TOOLCHAIN,
  binProblems,
  cacheRoot,
  cachedBinDir,
  findCli,
  which,
  runScript,
} from "./toolchain";

const CLI_PACKAGE = "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi";
const VERSION_SYMBOL = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version";
const YAML_HOST_MODULE = "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml";
/** The Go modules of the Node.js, Python and Go hosts (untagged: asked for at the release commit's pseudo-version). */
const HOST_MODULES: Readonly<Record<string, string>> = {
  nodejs: "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3",
  python: "github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3",
  go: "github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3",
};

function log(message: string): void {
  process.stderr.write(`pulumi:install: ${message}\n`);
}

function run(cmd: string, args: readonly string[], options: SpawnSyncOptions = {}): void {
  log(`${cmd} ${args.join(" ")}`);
  // stdout is this script's answer (the bin/ folder): what tools print goes to stderr.
  const res = spawnSync(cmd, args, { stdio: ["ignore", 2, 2], ...options });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed with exit code ${res.status}`);
}

function goEnv(): NodeJS.ProcessEnv {
  return { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=mod", GOTOOLCHAIN: process.env["GOTOOLCHAIN"] || "local" };
}

/** The release commit of pkg/v3 as a pseudo-version, for the untagged host modules; undefined when unknown. */
function releasePseudoVersion(): string | undefined {
  const res = spawnSync("go", ["mod", "download", "-json", `github.com/pulumi/pulumi/pkg/v3@v${TOOLCHAIN.pulumi}`], {
    encoding: "utf8",
    env: goEnv(),
  });
  if (res.status !== 0) return undefined;
  try {
    const info = JSON.parse(res.stdout) as { Info: string };
    const origin = JSON.parse(fs.readFileSync(info.Info, "utf8")) as { Origin?: { Hash?: string }; Time?: string };
    const hash = origin.Origin?.Hash;
    if (!hash || !origin.Time) return undefined;
    const stamp = new Date(origin.Time).toISOString().replace(/[-:T]/g, "").slice(0, 14);
    return `v3.0.0-${stamp}-${hash.slice(0, 12)}`;
  } catch {
    return undefined;
  }
}

/** Whether the proxy serves a module version; logs why not. */
function proxyServes(module: string, version: string): boolean {
  const res = spawnSync("go", ["mod", "download", "-json", `${module}@${version}`], { encoding: "utf8", env: goEnv() });
  if (res.status === 0) return true;
  let why = res.stderr.trim();
  try {
    why = (JSON.parse(res.stdout) as { Error?: string }).Error ?? why;
  } catch {
    // not JSON: keep stderr
  }
  log(`the module proxy refuses ${module}@${version}: ${why.split("\n")[0]}`);
  return false;
}

/** The folder of official host sources with a build.sh, or undefined. */
function hostSources(): string | undefined {
  const dir = process.env["PULUMI_HOSTS_SOURCE"] || path.resolve(REPO_ROOT, "..", "shared", "pulumi-hosts");
  return fs.existsSync(path.join(dir, "build.sh")) ? dir : undefined;
}

/** Builds the CLI and the four official language hosts into binDir. */
function buildFromModules(binDir: string): void {
  if (!which("go")) throw new Error("Go is not on PATH, so nothing can be built");
  const started = Date.now();
  const work = path.join(cacheRoot(), `pulumi-v${TOOLCHAIN.pulumi}-wrapper`);
  fs.mkdirSync(work, { recursive: true });
  fs.mkdirSync(binDir, { recursive: true });
  const env = goEnv();

  // The CLI's go.mod has `replace` lines that apply only to a main module: build it from a wrapper.
  const requires = [`github.com/pulumi/pulumi/pkg/v3 v${TOOLCHAIN.pulumi}`, `github.com/pulumi/pulumi/sdk/v3 v${TOOLCHAIN.pulumi}`];
  const imports = [CLI_PACKAGE];
  const pseudo = releasePseudoVersion();
  const fromModules: string[] = [];
  for (const [lang, module] of Object.entries(HOST_MODULES)) {
    if (pseudo && proxyServes(module, pseudo)) {
      requires.push(`${module} ${pseudo}`);
      imports.push(module);
      fromModules.push(lang);
    }
  }
  fs.writeFileSync(
    path.join(work, "go.mod"),
    `module pulumi-cli-wrapper\n\ngo 1.25\n\nrequire (\n${requires.map((r) => `\t${r}\n`).join("")})\n`,
  );
  fs.writeFileSync(
    path.join(work, "tools.go"),
    `//go:build tools\n\n// Package tools pins the Pulumi binaries this wrapper builds.\npackage tools\n\nimport (\n${imports.map((i) => `\t_ "${i}"\n`).join("")})\n`,
  );
  run("go", ["mod", "tidy"], { cwd: work, env });
  const ldflags = `-s -w -X ${VERSION_SYMBOL}=v${TOOLCHAIN.pulumi}`;
  run("go", ["build", "-trimpath", "-ldflags", ldflags, "-o", path.join(binDir, "pulumi"), CLI_PACKAGE], { cwd: work, env });
  for (const lang of fromModules) {
    run("go", ["build", "-trimpath", "-ldflags", ldflags, "-o", path.join(binDir, `pulumi-language-${lang}`), HOST_MODULES[lang]], {
      cwd: work,
      env,
    });
  }
  const rest = Object.keys(HOST_MODULES).filter((lang) => !fromModules.includes(lang));
  if (rest.length > 0) {
    const sources = hostSources();
    if (!sources) {
      throw new Error(
        `the module proxy refuses the official ${rest.join(", ")} language host(s) and no host sources were found: ` +
          "set PULUMI_HOSTS_SOURCE to a folder holding Pulumi's language-host sources and a build.sh",
      );
    }
    log(`building the official ${rest.join(", ")} host(s) from ${sources}`);
    run("bash", [path.join(sources, "build.sh"), binDir, ...rest], { env });
  }
  run("go", ["install", `${YAML_HOST_MODULE}@v${TOOLCHAIN.yaml}`], { env: { ...env, GOBIN: binDir } });
  log(`built in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Tries the official installer into our cache; resolves with its bin/ or undefined (offline, refused). */
async function officialInstall(): Promise<string | undefined> {
  if (process.env["PULUMI_JDCLOUD_SKIP_DOWNLOAD"]) return undefined;
  const root = path.join(cacheRoot(), `official-v${TOOLCHAIN.pulumi}`);
  try {
    const { PulumiCommand } = await import("@pulumi/pulumi/automation");
    // semver comes with @pulumi/pulumi, whose installer takes its SemVer.
    const { SemVer } = await import("semver");
    log(`trying the official installer for v${TOOLCHAIN.pulumi}`);
    await PulumiCommand.install({ root, version: new SemVer(TOOLCHAIN.pulumi), skipVersionCheck: true });
    const binDir = path.join(root, "bin");
    // The release ships its own YAML host: only the CLI's version is pinned there.
    const problems = binProblems(binDir, { pulumi: TOOLCHAIN.pulumi });
    if (problems.length === 0) return binDir;
    log(`the official install is not usable: ${problems.join("; ")}`);
  } catch (err) {
    log(`the official installer is not reachable here (${err instanceof Error ? err.message.split("\n")[0] : String(err)})`);
  }
  return undefined;
}

/** Copies the dynamic-provider plugin from `@pulumi/pulumi` beside the CLI. */
function addResourcePlugin(binDir: string): void {
  const from = require.resolve("@pulumi/pulumi/pulumi-resource-pulumi-nodejs", { paths: [REPO_ROOT] });
  const to = path.join(binDir, "pulumi-resource-pulumi-nodejs");
  fs.copyFileSync(from, to);
  fs.chmodSync(to, 0o755);
}

async function main(): Promise<number> {
  const force = process.argv.includes("--build");
  const found = force ? undefined : findCli();
  if (found) {
    log(found.source === "path" ? `using the Pulumi CLI on PATH (${found.version})` : `using the cached toolchain in ${found.binDir}`);
    if (found.source === "cache") addResourcePlugin(found.binDir);
    process.stdout.write(`${found.binDir}\n`);
    return 0;
  }
  const cached = cachedBinDir();
  if (!force && fs.existsSync(cached)) log(`the cached toolchain is rebuilt: ${binProblems(cached).join("; ")}`);

  const official = force ? undefined : await officialInstall();
  if (official) {
    addResourcePlugin(official);
    process.stdout.write(`${official}\n`);
    return 0;
  }
  try {
    fs.rmSync(cached, { recursive: true, force: true });
    buildFromModules(cached);
  } catch (err) {
    log(err instanceof Error ? err.message : String(err));
    process.stderr.write(`\n${NO_CLI_HELP}\n`);
    return 1;
  }
  const problems = binProblems(cached);
  if (problems.length > 0) {
    log(`the build did not give the pinned toolchain: ${problems.join("; ")}`);
    return 1;
  }
  addResourcePlugin(cached);
  log(`official CLI and language hosts (${Object.keys(LANGUAGE_HOSTS).join(", ")}) in ${cached}`);
  process.stdout.write(`${cached}\n`);
  return 0;
}

runScript("pulumi:install", main);
