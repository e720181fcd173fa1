/*
 * Where the Pulumi CLI comes from: a `pulumi` already on PATH (a real user's),
 * or one built from the Go module proxy and cached outside the checkout.
 * Shared by pulumi-install.js, demo.js, e2e.js and the benchmarks.
 */
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

/** The CLI release we build: the one matching the pinned @pulumi/pulumi dev dependency. */
const PULUMI_VERSION = "3.248.0";
const REPO_ROOT = path.resolve(__dirname, "..");

/** The cache folder for built CLIs: $PULUMI_JDCLOUD_CACHE_DIR, else $XDG_CACHE_HOME or ~/.cache. */
function cacheRoot() {
  return (
    process.env.PULUMI_JDCLOUD_CACHE_DIR ||
    path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "pulumi-jdcloud-image")
  );
}

/** The bin folder a build of this version lives in. */
function cachedBinDir() {
  return path.join(cacheRoot(), `pulumi-v${PULUMI_VERSION}`, "bin");
}

/** First match of an executable on PATH, skipping `skip` folders. */
function which(name, skip = []) {
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    if (!dir || skip.includes(path.resolve(dir))) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** `pulumi version` of a binary, or undefined when it does not run. */
function versionOf(pulumi) {
  const res = spawnSync(pulumi, ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
  return res.status === 0 ? res.stdout.trim() : undefined;
}

/**
 * The bin folder holding a usable CLI without building anything: the user's
 * `pulumi` on PATH (with its language host beside it or on PATH), else our cache.
 */
function findCli() {
  const cached = cachedBinDir();
  const onPath = which("pulumi", [path.resolve(cached)]);
  if (onPath && versionOf(onPath) && (which("pulumi-language-nodejs") || fs.existsSync(path.join(path.dirname(onPath), "pulumi-language-nodejs")))) {
    return { binDir: path.dirname(onPath), source: "path", version: versionOf(onPath) };
  }
  const cachedPulumi = path.join(cached, "pulumi");
  if (fs.existsSync(cachedPulumi) && versionOf(cachedPulumi) === `v${PULUMI_VERSION}` && fs.existsSync(path.join(cached, "pulumi-language-nodejs"))) {
    return { binDir: cached, source: "cache", version: `v${PULUMI_VERSION}` };
  }
  return undefined;
}

/** Environment for running the CLI from `binDir`: PATH first, no update checks, a local PULUMI_HOME if asked. */
function cliEnv(binDir, extra = {}) {
  return {
    ...process.env,
    PATH: `${binDir}${path.delimiter}${process.env.PATH || ""}`,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    ...extra,
  };
}

/**
 * Environment for the CLI against a local file backend in `stateDir`: state,
 * passphrase secrets and PULUMI_HOME all there, so nothing touches ~/.pulumi.
 */
function localBackendEnv(binDir, stateDir, passphrase, extra = {}) {
  return cliEnv(binDir, {
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_HOME: path.join(stateDir, "home"),
    ...extra,
  });
}

/** One paragraph telling a newcomer how to get a CLI. */
const NO_CLI_HELP =
  "No Pulumi CLI was found. Install one (https://www.pulumi.com/docs/install/) so that `pulumi` and " +
  "`pulumi-language-nodejs` are on PATH, or run `npm run pulumi:install`, which builds Pulumi " +
  `v${PULUMI_VERSION} from the Go module proxy (needs Go 1.25 or later, about 5 minutes the first time) ` +
  `and caches it in ${cachedBinDir()}.`;

/** Compiles the package to dist/ (what `npm run build` does); returns the exit code. */
function buildPackage() {
  const res = spawnSync("npm", ["run", "--silent", "build"], { cwd: REPO_ROOT, stdio: "inherit" });
  return res.status ?? 1;
}

module.exports = { buildPackage, localBackendEnv, PULUMI_VERSION, REPO_ROOT, cacheRoot, cachedBinDir, which, versionOf, findCli, cliEnv, NO_CLI_HELP };
