#!/usr/bin/env node
/*
 * npm run pulumi:install — make a Pulumi CLI available and print its bin folder
 * as the last line. Uses a `pulumi` already on PATH; otherwise builds Pulumi
 * from the Go module proxy in a small wrapper module (the CLI's and the Node.js
 * language host's go.mod files carry `replace` lines, which only apply to a main
 * module), caches it by version outside the checkout, and puts `pulumi`,
 * `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs` in one bin/.
 *
 *   --build   build even when a CLI is on PATH or cached
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { PULUMI_VERSION, REPO_ROOT, cacheRoot, cachedBinDir, findCli, which } = require("./pulumi-cli");

const LANGUAGE_HOST_MODULE = "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3";
const VERSION_SYMBOL = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version";

function log(message) {
  process.stderr.write(`pulumi:install: ${message}\n`);
}

function run(cmd, args, options = {}) {
  log(`${cmd} ${args.join(" ")}`);
  const res = spawnSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"], ...options });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed with exit code ${res.status}`);
}

function capture(cmd, args, options = {}) {
  return spawnSync(cmd, args, { encoding: "utf8", ...options });
}

/** The release commit of pkg/v3@vX as the proxy reports it, as a pseudo-version for untagged modules. */
function releasePseudoVersion(env) {
  const res = capture("go", ["mod", "download", "-json", `github.com/pulumi/pulumi/pkg/v3@v${PULUMI_VERSION}`], { env });
  if (res.status !== 0) return undefined;
  const info = JSON.parse(res.stdout);
  let origin;
  try {
    origin = JSON.parse(fs.readFileSync(info.Info, "utf8"));
  } catch {
    return undefined;
  }
  const hash = origin.Origin && origin.Origin.Hash;
  if (!hash || !origin.Time) return undefined;
  const stamp = new Date(origin.Time).toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `v3.0.0-${stamp}-${hash.slice(0, 12)}`;
}

/** Builds the CLI (and the official language host when the proxy serves it) into binDir. */
function build(binDir) {
  if (!which("go")) {
    throw new Error("Go is not on PATH: install Go 1.25 or later (the CLI is built from the Go module proxy), or install the Pulumi CLI.");
  }
  const started = Date.now();
  const work = path.join(cacheRoot(), `pulumi-v${PULUMI_VERSION}`, "wrapper");
  fs.mkdirSync(work, { recursive: true });
  fs.mkdirSync(binDir, { recursive: true });
  const env = { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=mod", GOTOOLCHAIN: process.env.GOTOOLCHAIN || "local" };

  const requires = [`github.com/pulumi/pulumi/pkg/v3 v${PULUMI_VERSION}`, `github.com/pulumi/pulumi/sdk/v3 v${PULUMI_VERSION}`];
  const imports = ["github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"];
  let officialHost = false;
  const pseudo = releasePseudoVersion(env);
  if (pseudo) {
    const probe = capture("go", ["mod", "download", "-json", `${LANGUAGE_HOST_MODULE}@${pseudo}`], { env });
    if (probe.status === 0) {
      requires.push(`${LANGUAGE_HOST_MODULE} ${pseudo}`);
      imports.push(LANGUAGE_HOST_MODULE);
      officialHost = true;
    } else {
      const why = (() => {
        try {
          return JSON.parse(probe.stdout).Error;
        } catch {
          return probe.stderr.trim();
        }
      })();
      log(`the official Node.js language host ${LANGUAGE_HOST_MODULE}@${pseudo} cannot be fetched: ${why}`);
    }
  } else {
    log(`the release commit of pkg/v3@v${PULUMI_VERSION} is unknown, so the language host's pseudo-version cannot be formed`);
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
  const ldflags = `-s -w -X ${VERSION_SYMBOL}=v${PULUMI_VERSION}`;
  run("go", ["build", "-trimpath", "-ldflags", ldflags, "-o", path.join(binDir, "pulumi"), "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"], { cwd: work, env });
  if (officialHost) {
    run("go", ["build", "-trimpath", "-ldflags", ldflags, "-o", path.join(binDir, "pulumi-language-nodejs"), LANGUAGE_HOST_MODULE], { cwd: work, env });
  }
  log(`built in ${Math.round((Date.now() - started) / 1000)} s`);
  return officialHost;
}

/** Copies a file into binDir as an executable. */
function installExecutable(from, binDir, name) {
  const to = path.join(binDir, name);
  fs.copyFileSync(from, to);
  fs.chmodSync(to, 0o755);
}

function main() {
  const force = process.argv.includes("--build");
  const found = force ? undefined : findCli();
  if (found && found.source === "path") {
    log(`using the Pulumi CLI on PATH (${found.version})`);
    process.stdout.write(`${found.binDir}\n`);
    return;
  }
  const binDir = cachedBinDir();
  let officialHost = fs.existsSync(path.join(binDir, "LANGUAGE_HOST_OFFICIAL"));
  if (found && found.source === "cache") {
    log(`using the cached Pulumi CLI v${PULUMI_VERSION}`);
  } else {
    officialHost = build(binDir);
  }
  if (officialHost) {
    fs.writeFileSync(path.join(binDir, "LANGUAGE_HOST_OFFICIAL"), `${LANGUAGE_HOST_MODULE}\n`);
  } else {
    // The proxy refused the official host: use our stand-in (scripts/pulumi-language-nodejs.js).
    installExecutable(path.join(__dirname, "pulumi-language-nodejs.js"), binDir, "pulumi-language-nodejs");
  }
  // The dynamic-provider plugin ships in @pulumi/pulumi, not in the Go modules.
  const resourcePlugin = require.resolve("@pulumi/pulumi/pulumi-resource-pulumi-nodejs", { paths: [REPO_ROOT] });
  installExecutable(resourcePlugin, binDir, "pulumi-resource-pulumi-nodejs");
  process.stdout.write(`${binDir}\n`);
}

try {
  main();
} catch (err) {
  log(err.message);
  process.exitCode = 1;
}
