#!/usr/bin/env node
/*
 * npm run demo — the main job: start the bundled emulator, point a local file
 * backend (in the ignored .pulumi-state/ folder) at it, and run `pulumi preview`
 * of the quickstart (Pulumi.yaml → examples/quickstart), which shows the image's
 * platform, system disk size and snapshots. Leaves no process behind.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { spawn, spawnSync } = require("node:child_process");
const { REPO_ROOT, buildPackage, findCli, localBackendEnv, which, NO_CLI_HELP } = require("./pulumi-cli");

const STATE = path.join(REPO_ROOT, ".pulumi-state", "demo");
const STACK = "demo";
const PASSPHRASE = "demo-passphrase-not-a-secret";

function pulumi(binDir, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(binDir, "pulumi"), args, {
      cwd: REPO_ROOT,
      env: localBackendEnv(binDir, STATE, PASSPHRASE),
      stdio: ["ignore", options.quiet ? "ignore" : "inherit", options.quiet ? "pipe" : "inherit"],
    });
    let errors = "";
    child.stderr?.on("data", (c) => (errors += c));
    child.on("error", reject);
    child.on("exit", (code) => {
      // A quiet step that failed still says why, unless it was only probing for the stack.
      if (code !== 0 && options.quiet && !options.probe) process.stderr.write(errors);
      resolve(code ?? 1);
    });
  });
}

async function main() {
  if (!fs.existsSync(path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi"))) {
    process.stderr.write("demo: the dependencies are not installed; run `npm ci` first, then `npm run demo`.\n");
    return 1;
  }
  let cli = findCli();
  if (!cli) {
    process.stderr.write(`${NO_CLI_HELP}\n`);
    if (!which("go")) return 1;
    process.stderr.write("demo: Go is here, so building it now with `npm run pulumi:install` (once)...\n");
    const install = spawnSync(process.execPath, [path.join(__dirname, "pulumi-install.js")], { stdio: ["ignore", "ignore", "inherit"] });
    cli = install.status === 0 ? findCli() : undefined;
    if (!cli) return 1;
  }
  // The program imports the package by name, as a user's does: build it and link it into node_modules.
  const built = buildPackage();
  if (built !== 0) return built;
  const link = path.join(REPO_ROOT, "node_modules", "pulumi-jdcloud-image");
  if (!fs.existsSync(link)) fs.symlinkSync("..", link, "dir");

  const { startEmulator } = require(path.join(REPO_ROOT, "dist", "emulator"));
  const emulator = await startEmulator({});
  process.stderr.write(`demo: JD Cloud emulator on ${emulator.endpoint}; Pulumi CLI ${cli.version} from ${cli.binDir}\n`);
  try {
    fs.mkdirSync(path.join(STATE, "home"), { recursive: true });
    const configFile = path.join(STATE, `Pulumi.${STACK}.yaml`);
    const stackFlags = ["--stack", STACK, "--non-interactive"];
    if ((await pulumi(cli.binDir, ["stack", "select", ...stackFlags], { quiet: true, probe: true })) !== 0) {
      const code = await pulumi(cli.binDir, ["stack", "init", STACK, "--non-interactive"], { quiet: true });
      if (code !== 0) return code;
    }
    const settings = [
      ["jdcloud:endpoint", emulator.endpoint],
      ["jdcloud:region", "cn-north-1"],
      ["jdcloud:accessKey", emulator.accessKey],
    ];
    for (const [key, value] of settings) {
      const code = await pulumi(cli.binDir, ["config", "set", key, value, ...stackFlags, "--config-file", configFile], { quiet: true });
      if (code !== 0) return code;
    }
    const secret = await pulumi(cli.binDir, ["config", "set", "--secret", "jdcloud:secretKey", emulator.secretKey, ...stackFlags, "--config-file", configFile], { quiet: true });
    if (secret !== 0) return secret;
    return await pulumi(cli.binDir, ["preview", ...stackFlags, "--config-file", configFile]);
  } finally {
    await emulator.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`demo: ${err.message}\n`);
    process.exitCode = 1;
  },
);
