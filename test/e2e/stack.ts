/**
 * A Pulumi stack of one example, copied into the e2e workspace (where the packed
 * package is installed) and driven with the real CLI against a file backend: as a file program
 * where the official language host is found, else inline through the SDK's Automation API
 * (scripts/inline.ts).
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";

import { InlineResult, ProgramMode, canRunInline, programModes, projectRuntime, runProgramCommand } from "../../scripts/inline";
import { GO_MODULE } from "../../plugin/schemaGen";
import { localBackendEnv } from "../../scripts/toolchain";

const REPO = path.resolve(__dirname, "../..");

/** This checkout's plugin folder (`npm run build`), for `plugins: providers: path`. */
export const CHECKOUT_PLUGIN_DIR = path.join(REPO, "bin");

/** Points a copied example's `plugins: providers: path` (`../../bin`) at this checkout's plugin. */
export function useCheckoutPlugin(dir: string): void {
  const file = path.join(dir, "Pulumi.yaml");
  const text = fs.readFileSync(file, "utf8");
  const pointed = text.replace(/path: \.\.\/\.\.\/bin/, `path: ${CHECKOUT_PLUGIN_DIR}`);
  assert.notEqual(pointed, text, "the example names the plugin path");
  fs.writeFileSync(file, pointed);
}

/** Gives a Python project the venv scripts/e2e.ts prepared (Pulumi's Python SDK and this checkout's). */
export function useCheckoutPythonSdk(dir: string): void {
  const venv = process.env["E2E_PYTHON_VENV"];
  if (!venv) throw new Error("run the end-to-end suite with `npm run test:e2e`, which prepares the Python environment");
  fs.symlinkSync(venv, path.join(dir, "venv"), "dir");
}

/** Makes a copied Go example use this checkout's Go SDK, as its own `replace` does from its place in the repository. */
export function useCheckoutGoSdk(dir: string): void {
  const res = spawnSync("go", ["mod", "edit", `-replace=${GO_MODULE}=${path.join(REPO, "sdk")}`], { cwd: dir, encoding: "utf8" });
  assert.equal(res.status, 0, res.stderr);
}

/** Where a stack runs: the workspace holding the packed package, the CLI's bin/, and optionally another Node.js. */
export interface StackEnvironment {
  readonly workspace: string;
  readonly binDir: string;
  /** A folder holding the `node` the language host runs the program with (first on PATH). */
  readonly nodeBin?: string;
}

/** The workspace and CLI that scripts/e2e.ts prepared. */
export function e2eEnvironment(): StackEnvironment {
  const workspace = process.env["E2E_WORKSPACE"];
  const binDir = process.env["E2E_PULUMI_BIN"];
  if (!workspace || !binDir) throw new Error("run the end-to-end suite with `npm run test:e2e`, which prepares the CLI and the workspace");
  return { workspace, binDir };
}

/**
 * The ways examples/<example> runs here: inline (Automation API) for TypeScript, Python and Go, and
 * also as a file program where the official host of its language is found (YAML: always a file
 * program). scripts/e2e.ts says once which hosts are missing.
 */
export function modesFor(example: string, environment: StackEnvironment = e2eEnvironment()): ProgramMode[] {
  return programModes(projectRuntime(path.resolve(__dirname, "../../examples", example)), environment.binDir);
}

/** How a describe block names a mode, when the language has both. */
export function modeTitle(mode: ProgramMode): string {
  return mode === "inline" ? "inline through the Automation API" : "as a file program on the official host";
}

/** An emulator a suite uses: the running one, and the settings ExampleStack.init takes for it. */
export interface SuiteEmulator {
  readonly emulator: import("../../emulator").Emulator;
  settings(region?: string): { endpoint: string; accessKey: string; secretKey: string; region: string };
}

/** Starts the packed emulator before the suite (or before each test) and closes it after. */
export function useEmulator(scope: "suite" | "test" = "suite"): SuiteEmulator {
  let current: import("../../emulator").Emulator | undefined;
  (scope === "suite" ? before : beforeEach)(async () => {
    current = await packedEmulator().startEmulator({});
  });
  (scope === "suite" ? after : afterEach)(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    get emulator() {
      if (!current) throw new Error("the emulator runs only inside a test");
      return current;
    },
    settings(region = "cn-north-1") {
      const { endpoint, accessKey, secretKey } = this.emulator;
      return { endpoint, accessKey, secretKey, region };
    },
  };
}

/** The emulator as the packed package ships it. */
export function packedEmulator(): typeof import("../../emulator") {
  // Resolve from the workspace's own package scope: from here, the name would resolve to this checkout.
  return createRequire(path.join(e2eEnvironment().workspace, "package.json"))(
    "pulumi-jdcloud-image/emulator",
  ) as typeof import("../../emulator");
}

/** What one CLI command printed and how it ended (and, run inline, what the runner reported). */
export interface CommandResult {
  readonly code: number;
  readonly output: string;
  readonly result?: InlineResult["result"];
}

/** A resource as `pulumi stack export` has it. */
export interface StateResource {
  readonly type: string;
  readonly urn: string;
  readonly id?: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
}

/** One example stack in the workspace. */
export class ExampleStack {
  readonly dir: string;
  readonly stateDir: string;
  /** The project's runtime (`nodejs`, `python`, `go`, `yaml`). */
  readonly runtime: string;
  /** How its program runs: `inline` (Automation API) or `file` (the official language host). */
  readonly mode: ProgramMode;
  /** Everything every command printed, for the secret scan. */
  readonly transcript: string[] = [];

  constructor(
    readonly example: string,
    readonly stack = "e2e",
    readonly environment: StackEnvironment = e2eEnvironment(),
    /** Where the program comes from; default examples/<example>. */
    source = path.resolve(__dirname, "../../examples", example),
    /** Default: inline where the language's SDK can serve it, else (YAML) as a file program. */
    mode?: ProgramMode,
  ) {
    const { workspace } = environment;
    this.runtime = projectRuntime(source);
    this.mode = mode ?? (canRunInline(this.runtime) ? "inline" : "file");
    const name = `${example}-${stack}${this.mode === "file" && canRunInline(this.runtime) ? "-file" : ""}`;
    this.dir = path.join(workspace, name);
    this.stateDir = path.join(workspace, "state", name);
    for (const dir of [this.dir, this.stateDir]) fs.rmSync(dir, { recursive: true, force: true });
    // The program, not what a local run installed beside it (node_modules, a Python venv).
    const installed = new Set(["node_modules", "venv"]);
    fs.cpSync(source, this.dir, { recursive: true, filter: (src) => !installed.has(path.basename(src)) });
    fs.mkdirSync(this.stateDir, { recursive: true });
  }

  /**
   * Runs `pulumi <args>` in the stack's folder — preview, up, refresh and destroy of an inline stack
   * through the Automation API — and resolves with its exit code and output.
   */
  async run(args: string[]): Promise<CommandResult> {
    const { binDir, nodeBin } = this.environment;
    const how = { mode: this.mode, runtime: this.runtime, stack: this.stack, runtimes: nodeBin ? { nodeBin } : {} };
    const result = await runProgramCommand(binDir, args, this.dir, this.env(), how);
    // Only what the CLI printed: the command line itself carries the secret we set.
    this.transcript.push(result.output);
    return { code: result.code, output: result.output, ...(result.result ? { result: result.result } : {}) };
  }

  /** The environment every command of this stack runs with: the CLI on PATH and the file backend. */
  env(): NodeJS.ProcessEnv {
    const { binDir, nodeBin } = this.environment;
    const env = localBackendEnv(binDir, this.stateDir, "e2e-passphrase", { NO_COLOR: "1" });
    if (nodeBin) env["PATH"] = `${nodeBin}${path.delimiter}${env["PATH"] ?? ""}`;
    return env;
  }

  /**
   * Takes over `other`'s stack: its state (file backend) and its stack config file, as a user who
   * upgrades a package in place keeps both. The stacks must have the same name and project.
   */
  adoptStackOf(other: ExampleStack): void {
    fs.rmSync(this.stateDir, { recursive: true, force: true });
    fs.cpSync(other.stateDir, this.stateDir, { recursive: true });
    const config = `Pulumi.${other.stack}.yaml`;
    fs.copyFileSync(path.join(other.dir, config), path.join(this.dir, config));
  }

  /** Runs a command that must succeed; fails with its output otherwise. */
  async ok(args: string[]): Promise<string> {
    const result = await this.run(args);
    if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${result.output}`);
    return result.output;
  }

  /** Creates the stack and sets the jdcloud-image:* config, the secret key with --secret. */
  async init(
    settings: { endpoint: string; accessKey: string; secretKey: string; region: string },
    extra: Record<string, string> = {},
  ): Promise<void> {
    await this.ok(["stack", "init", this.stack]);
    await this.ok(["config", "set", "jdcloud-image:endpoint", settings.endpoint, "--stack", this.stack]);
    await this.ok(["config", "set", "jdcloud-image:region", settings.region, "--stack", this.stack]);
    await this.ok(["config", "set", "jdcloud-image:accessKey", settings.accessKey, "--stack", this.stack]);
    await this.ok(["config", "set", "--secret", "jdcloud-image:secretKey", settings.secretKey, "--stack", this.stack]);
    for (const [key, value] of Object.entries(extra)) await this.ok(["config", "set", key, value, "--stack", this.stack]);
  }

  /** The stack's outputs. */
  async outputs(): Promise<Record<string, unknown>> {
    return JSON.parse(await this.ok(["stack", "output", "--json", "--show-secrets", "--stack", this.stack])) as Record<string, unknown>;
  }

  /** The resources in the stack's state. */
  async resources(): Promise<StateResource[]> {
    const exported = JSON.parse(await this.ok(["stack", "export", "--stack", this.stack])) as {
      deployment: { resources?: StateResource[] };
    };
    return exported.deployment.resources ?? [];
  }

  /** Every file under the state folder and the stack's folder (without node_modules), as text. */
  storedText(): string {
    const texts: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        // Installed dependencies (node_modules, a linked Python venv) are not the stack's files.
        if (entry.name === "node_modules" || entry.isSymbolicLink()) continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else texts.push(fs.readFileSync(full, "utf8"));
      }
    };
    walk(this.stateDir);
    walk(this.dir);
    return texts.join("\n");
  }
}

/**
 * Checks `pulumi preview --debug` output: where the settings came from (stack config) and each
 * request with JD Cloud's request ID, and never the secret key.
 */
export function assertDebugLines(output: string, secretKey: string, imageId = "\\S+"): void {
  assert.match(
    output,
    /jdcloud-image: settings for http:\/\/127\.0\.0\.1:\d+: endpoint from jdcloud-image:endpoint, accessKey from jdcloud-image:accessKey, secretKey from jdcloud-image:secretKey/,
  );
  assert.match(
    output,
    new RegExp(
      `jdcloud-image: GET /v1/regions/cn-north-1/images/${imageId} at http://127\\.0\\.0\\.1:\\d+: 200, JD Cloud request [0-9a-f]{32}`,
    ),
  );
  assert.ok(!output.includes(secretKey), "no secret key in the debug output");
}

/** Whether output shows a JavaScript stack trace. */
export function hasStackTrace(output: string): boolean {
  return /^\s+at .+(:\d+:\d+\)?|\(node:.*\))$/m.test(output);
}
