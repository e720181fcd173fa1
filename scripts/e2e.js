#!/usr/bin/env node
/*
 * npm run test:e2e — the end-to-end suite with the real Pulumi CLI. It gets a
 * CLI (scripts/pulumi-install.js), packs this package as `npm pack` would
 * publish it, installs the tarball into a scratch workspace the way a user
 * would, and runs test/e2e against every example stack there.
 */
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { REPO_ROOT } = require("./pulumi-cli");

function step(cmd, args, options = {}) {
  process.stderr.write(`e2e: ${cmd} ${args.join(" ")}\n`);
  const res = spawnSync(cmd, args, { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], ...options });
  if (res.status !== 0) {
    process.stderr.write(res.stdout || "");
    throw new Error(`${cmd} ${args.join(" ")} failed with exit code ${res.status}`);
  }
  return res.stdout.trim().split("\n").pop();
}

function main() {
  const binDir = step(process.execPath, [path.join(__dirname, "pulumi-install.js")]);
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "jdcloud-image-e2e-"));
  const tarball = path.join(workspace, step("npm", ["pack", "--silent", "--pack-destination", workspace]));
  const version = (name) => require(path.join(REPO_ROOT, "node_modules", name, "package.json")).version;
  fs.writeFileSync(
    path.join(workspace, "package.json"),
    JSON.stringify(
      {
        name: "jdcloud-image-e2e-workspace",
        private: true,
        dependencies: {
          "pulumi-jdcloud-image": `file:${tarball}`,
          "@pulumi/pulumi": version("@pulumi/pulumi"),
          typescript: version("typescript"),
          "ts-node": version("ts-node"),
          "@types/node": version("@types/node"),
        },
      },
      null,
      2,
    ),
  );
  step("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: workspace });

  const mocha = require.resolve("mocha/bin/mocha.js", { paths: [REPO_ROOT] });
  const res = spawnSync(process.execPath, [mocha, "--config", path.join(REPO_ROOT, "test", "e2e", ".mocharc.json")], {
    cwd: REPO_ROOT,
    stdio: "inherit",
    env: { ...process.env, E2E_PULUMI_BIN: binDir, E2E_WORKSPACE: workspace },
  });
  if (res.status === 0 && !process.env.E2E_KEEP) fs.rmSync(workspace, { recursive: true, force: true });
  else process.stderr.write(`e2e: workspace kept at ${workspace}\n`);
  return res.status ?? 1;
}

try {
  process.exitCode = main();
} catch (err) {
  process.stderr.write(`e2e: ${err.message}\n`);
  process.exitCode = 1;
}
