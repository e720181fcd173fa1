/*
 * Run 5: `pulumi preview` of a generated stack with 200 getImage lookups of 20
 * images, against the same stack with none, with the CLI from pulumi:install.
 */
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { findCli, localBackendEnv, REPO_ROOT } = require("../scripts/pulumi-cli");

function program(lookups) {
  return `import * as pulumi from "@pulumi/pulumi";
import { getImageOutput } from "pulumi-jdcloud-image";
const ids: string[] = ${JSON.stringify(Array.from({ length: 20 }, (_, i) => `img-bench${String(i).padStart(4, "0")}`))};
const platforms: pulumi.Output<string>[] = [];
for (let i = 0; i < 200; i++) {
  platforms.push(${lookups ? "getImageOutput({ imageId: ids[i % ids.length] }).platform" : 'pulumi.output("Ubuntu")'});
}
export const count = pulumi.all(platforms).apply((p) => p.length);
`;
}

function makeStack(root, name, lookups) {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n`);
  fs.writeFileSync(path.join(dir, "index.ts"), program(lookups));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, main: "index.ts" }));
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "commonjs", esModuleInterop: true, skipLibCheck: true } }));
  return dir;
}

function pulumi(binDir, dir, state, args) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(path.join(binDir, "pulumi"), [...args, "--non-interactive"], {
      cwd: dir,
      env: localBackendEnv(binDir, state, "bench"),
    });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - started) / 1e6) : reject(new Error(`pulumi ${args.join(" ")}: ${out}`))));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median preview times (ms) with and without lookups, or undefined without a CLI. */
async function previewTimes(emulator, rounds = 3) {
  const cli = findCli();
  if (!cli) return undefined;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "jdcloud-bench-preview-"));
  fs.mkdirSync(path.join(root, "node_modules"));
  fs.symlinkSync(REPO_ROOT, path.join(root, "node_modules", "pulumi-jdcloud-image"), "dir");
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules", "@pulumi"), path.join(root, "node_modules", "@pulumi"), "dir");
  const state = path.join(root, "state");
  fs.mkdirSync(path.join(state, "home"), { recursive: true });
  const times = {};
  for (const [name, lookups] of [["with-lookups", true], ["without-lookups", false]]) {
    const dir = makeStack(root, name, lookups);
    await pulumi(cli.binDir, dir, state, ["stack", "init", "bench"]);
    for (const [k, v] of [["jdcloud:endpoint", emulator.endpoint], ["jdcloud:accessKey", emulator.accessKey], ["jdcloud:region", "cn-north-1"]]) {
      await pulumi(cli.binDir, dir, state, ["config", "set", k, v]);
    }
    await pulumi(cli.binDir, dir, state, ["config", "set", "--secret", "jdcloud:secretKey", emulator.secretKey]);
    await pulumi(cli.binDir, dir, state, ["preview"]); // warm-up: ts-node cache, plugin discovery
    times[name] = [];
  }
  for (let r = 0; r < rounds; r++) {
    for (const name of Object.keys(times)) times[name].push(await pulumi(cli.binDir, path.join(root, name), state, ["preview"]));
  }
  fs.rmSync(root, { recursive: true, force: true });
  return { withLookups: median(times["with-lookups"]), without: median(times["without-lookups"]), cli: cli.version };
}

module.exports = { previewTimes };
