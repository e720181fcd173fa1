/**
 * npm run pulumi:install — make the official Pulumi toolchain available and print its `bin/` as
 * the last line of stdout. In this order:
 *
 *   1. a `pulumi` on PATH (a user's own install, with the YAML host every release ships);
 *   2. a cached `bin/` whose every binary answers with the pinned version;
 *   3. the official installer (`PulumiCommand.install`) where the internet is reachable;
 *   4. a build from the Go module proxy: the CLI from `github.com/pulumi/pulumi/pkg/v3` and the YAML
 *      host from `github.com/pulumi/pulumi-yaml`, as modules at their pinned versions;
 *   5. otherwise one paragraph on how to install Pulumi, and exit 1.
 *
 * The module proxy does not serve the Node.js, Python and Go language hosts, and nothing here builds
 * them from anywhere else: without them, programs in those languages run inline through their SDK's
 * Automation API (scripts/inline.ts). `pulumi-resource-pulumi-nodejs` (the dynamic-provider plugin,
 * which every release ships beside the CLI) comes from `@pulumi/pulumi` on npm and is copied beside
 * a cached CLI. Flags: `--build` skips 1–3.
 */
import { spawnSync, SpawnSyncOptions } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  NO_CLI_HELP,
  REPO_ROOT,
  TOOLCHAIN,
  TOOLCHAIN_BINARIES,
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

/** Builds the CLI from `pkg/v3` and the YAML host from `pulumi-yaml`, as Go modules from the proxy, into binDir. */
function buildFromModules(binDir: string): void {
  if (!which("go")) throw new Error("Go is not on PATH, so nothing can be built");
  const started = Date.now();
  const work = path.join(cacheRoot(), `pulumi-v${TOOLCHAIN.pulumi}-wrapper`);
  fs.mkdirSync(work, { recursive: true });
  fs.mkdirSync(binDir, { recursive: true });
  const env = goEnv();

  // The CLI's go.mod has `replace` lines that apply only to a main module: build it from a wrapper
  // module that requires pkg/v3 and sdk/v3 at the pinned version.
  const requires = [`github.com/pulumi/pulumi/pkg/v3 v${TOOLCHAIN.pulumi}`, `github.com/pulumi/pulumi/sdk/v3 v${TOOLCHAIN.pulumi}`];
  fs.writeFileSync(
    path.join(work, "go.mod"),
    `module pulumi-cli-wrapper\n\ngo 1.25\n\nrequire (\n${requires.map((r) => `\t${r}\n`).join("")})\n`,
  );
  fs.writeFileSync(
    path.join(work, "tools.go"),
    `//go:build tools\n\n// Package tools pins the Pulumi CLI this wrapper builds.\npackage tools\n\nimport _ "${CLI_PACKAGE}"\n`,
  );
  run("go", ["mod", "tidy"], { cwd: work, env });
  const ldflags = `-s -w -X ${VERSION_SYMBOL}=v${TOOLCHAIN.pulumi}`;
  run("go", ["build", "-trimpath", "-ldflags", ldflags, "-o", path.join(binDir, "pulumi"), CLI_PACKAGE], { cwd: work, env });
  run("go", ["install", "-trimpath", `${YAML_HOST_MODULE}@v${TOOLCHAIN.yaml}`], { env: { ...env, GOBIN: binDir } });
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
  log(`official ${Object.keys(TOOLCHAIN_BINARIES).join(" and ")} in ${cached}`);
  process.stdout.write(`${cached}\n`);
  return 0;
}

runScript("pulumi:install", main);
