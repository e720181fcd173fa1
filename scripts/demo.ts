/**
 * npm run demo — the main job: start the bundled emulator, point a local file backend (in the
 * ignored .pulumi-state/ folder) at it, and run `pulumi preview` of the quickstart
 * (Pulumi.yaml → examples/quickstart), which shows the image's platform, system disk size and
 * snapshots. `npm run example -- NAME` does the same for examples/NAME (yaml, python and go through
 * the provider plugin built into bin/). A TypeScript, Python or Go program runs as a file program
 * where the official host of its language is installed, else inline through its SDK's Automation
 * API (scripts/inline.ts); YAML on the YAML host. Leaves no process behind.
 *
 * An example imports the package by name, as a user's program does; from this checkout it finds
 * it (and `@pulumi/pulumi`) in the root node_modules, where the build is linked — one copy of
 * each, as in a user's project.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  NO_CLI_HELP,
  REPO_ROOT,
  buildPackage,
  findCli,
  linkPackage,
  localBackendEnv,
  pulumiPythonEnv,
  runPulumi,
  which,
  runScript,
} from "./toolchain";
import { programModes, projectRuntime, runProgramCommand } from "./inline";

const EXAMPLE = process.argv[2];
const STATE = path.join(REPO_ROOT, ".pulumi-state", EXAMPLE ?? "demo");
const STACK = "demo";
const PROGRAM = EXAMPLE === undefined ? REPO_ROOT : path.join(REPO_ROOT, "examples", EXAMPLE);
const PASSPHRASE = "demo-passphrase-not-a-secret";

async function main(): Promise<number> {
  if (EXAMPLE !== undefined && (!/^[a-z0-9-]+$/.test(EXAMPLE) || !fs.existsSync(path.join(PROGRAM, "Pulumi.yaml")))) {
    const names = fs
      .readdirSync(path.join(REPO_ROOT, "examples"))
      .filter((n) => fs.existsSync(path.join(REPO_ROOT, "examples", n, "Pulumi.yaml")));
    process.stderr.write(`example: no example '${EXAMPLE}'; run one of: ${names.map((n) => `npm run example -- ${n}`).join(", ")}\n`);
    return 2;
  }
  if (!fs.existsSync(path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi"))) {
    process.stderr.write("demo: the dependencies are not installed; run `npm ci` first, then `npm run demo`.\n");
    return 1;
  }
  let cli = findCli();
  if (!cli) {
    process.stderr.write(`${NO_CLI_HELP}\n`);
    if (!which("go")) return 1;
    process.stderr.write("demo: Go is here, so building it now with `npm run pulumi:install` (once)...\n");
    const install = spawnSync("npm", ["run", "--silent", "pulumi:install"], { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "inherit"] });
    cli = install.status === 0 ? findCli() : undefined;
    if (!cli) return 1;
  }
  // The program imports the package by name, as a user's does: build it and link it into node_modules.
  const built = buildPackage();
  if (built !== 0) return built;
  linkPackage(REPO_ROOT);
  // The Python example runs in a virtualenv with this checkout's generated SDK: the cached one
  // (the SDK installed afresh, so it is the one `npm run gen-sdk` last wrote), unless the example
  // has a venv of its own (examples/python/venv as a folder, from `pip install -r requirements.txt`).
  const venv = path.join(PROGRAM, "venv");
  if (EXAMPLE === "python") {
    const cached = path.dirname(pulumiPythonEnv());
    const own = fs.existsSync(venv) && !fs.lstatSync(venv).isSymbolicLink();
    if (!own) {
      fs.rmSync(venv, { force: true });
      fs.symlinkSync(cached, venv, "dir");
    }
  }

  const { startEmulator } = require(path.join(REPO_ROOT, "dist", "emulator")) as typeof import("../emulator");
  const emulator = await startEmulator({});
  process.stderr.write(`demo: JD Cloud emulator on ${emulator.endpoint}; Pulumi CLI ${cli.version} from ${cli.binDir}\n`);
  const env = localBackendEnv(cli.binDir, STATE, PASSPHRASE);
  const quiet = async (args: string[], probe = false): Promise<number> => {
    const result = await runPulumi(cli.binDir, args, PROGRAM, env);
    // A quiet step that failed still says why, unless it was only probing for the stack.
    if (result.code !== 0 && !probe) process.stderr.write(result.output);
    return result.code;
  };
  try {
    fs.mkdirSync(path.join(STATE, "home"), { recursive: true });
    const configFile = path.join(STATE, `Pulumi.${STACK}.yaml`);
    const stackFlags = ["--stack", STACK, "--config-file", configFile];
    if ((await quiet(["stack", "select", STACK], true)) !== 0) {
      const code = await quiet(["stack", "init", STACK]);
      if (code !== 0) return code;
    }
    const settings: Array<[string, string, boolean]> = [
      ["jdcloud-image:endpoint", emulator.endpoint, false],
      ["jdcloud-image:region", "cn-north-1", false],
      ["jdcloud-image:accessKey", emulator.accessKey, false],
      ["jdcloud-image:secretKey", emulator.secretKey, true],
    ];
    for (const [key, value, secret] of settings) {
      const code = await quiet(["config", "set", ...(secret ? ["--secret"] : []), key, value, ...stackFlags]);
      if (code !== 0) return code;
    }
    const runtime = projectRuntime(PROGRAM);
    // A file program where the official host is installed (how users run it); else inline.
    const mode = programModes(runtime, cli.binDir).includes("file") ? "file" : "inline";
    if (mode === "inline")
      process.stderr.write(`demo: no pulumi-language-${runtime} here: the program runs inline through the Automation API\n`);
    const how = { mode, runtime, stack: STACK } as const;
    return (await runProgramCommand(cli.binDir, ["preview", ...stackFlags], PROGRAM, env, how, true)).code;
  } finally {
    await emulator.close();
  }
}

runScript("demo", main);
