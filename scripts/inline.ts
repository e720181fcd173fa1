/**
 * Pulumi programs run the two ways Pulumi runs them, with the official CLI and engine either way:
 *
 * - as **file programs** (`pulumi preview` in the project's folder), where the official language
 *   host of the project's runtime (`pulumi-language-nodejs`, `-python`, `-go`, `-yaml`) is beside
 *   the CLI or on PATH — any normal Pulumi install has them;
 * - as **Automation API inline programs**, where it is not: the runners in `scripts/inline/` load
 *   the project's program with the Automation API of the language's own Pulumi SDK, which serves it
 *   to the CLI (`--client`). The CLI, the engine, the dynamic-provider host and our plugin are the
 *   real ones; no binary of ours stands in for a language host.
 *
 * YAML has no Automation API: its programs always run as file programs, on the official YAML host.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PulumiResult, runCommand, runPulumi, which } from "./toolchain";

/** The operations an inline program can run: those that run (or read) the program. */
export const INLINE_OPERATIONS = ["preview", "up", "refresh", "destroy"] as const;
/** One of {@link INLINE_OPERATIONS}. */
export type InlineOperation = (typeof INLINE_OPERATIONS)[number];

/** How a program is run: by its official language host, or inline through the Automation API. */
export type ProgramMode = "file" | "inline";

/** The languages whose SDKs have an Automation API that can serve an inline program. */
const INLINE_RUNTIMES = ["nodejs", "python", "go"] as const;

/** The runtime a project's Pulumi.yaml names (`runtime: go`, or `runtime:` with `name: nodejs`). */
export function projectRuntime(dir: string): string {
  const text = fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8");
  const runtime =
    /^runtime:[ \t]*(\S+)[ \t]*$/m.exec(text)?.[1] ?? /^runtime:[ \t]*\n(?:[ \t]+.*\n)*?[ \t]+name:[ \t]*(\S+)/m.exec(text)?.[1];
  if (!runtime) throw new Error(`${path.join(dir, "Pulumi.yaml")} names no runtime`);
  return runtime;
}

/** The official language host of `runtime` beside the CLI in `binDir` or on PATH, or undefined. */
export function officialHost(runtime: string, binDir: string): string | undefined {
  const name = `pulumi-language-${runtime}`;
  const beside = path.join(binDir, name);
  return fs.existsSync(beside) ? beside : which(name);
}

/** Whether programs of `runtime` can run inline (through their SDK's Automation API). */
export function canRunInline(runtime: string): boolean {
  return (INLINE_RUNTIMES as readonly string[]).includes(runtime);
}

/**
 * The ways programs of `runtime` run with the CLI in `binDir`: inline wherever the SDK allows, and
 * as file programs where the official host is found. Never empty for a runtime we support: YAML
 * needs its host (the toolchain always has one).
 */
export function programModes(runtime: string, binDir: string): ProgramMode[] {
  const modes: ProgramMode[] = [];
  if (canRunInline(runtime)) modes.push("inline");
  if (officialHost(runtime, binDir) || !canRunInline(runtime)) modes.push("file");
  return modes;
}

/** The options the runners take (as `pulumi preview --debug -v=9 --logtostderr --config-file F --diff`). */
export interface InlineOptions {
  readonly debug?: boolean;
  readonly logVerbosity?: number;
  readonly logToStdErr?: boolean;
  /** A stack config file other than `Pulumi.<stack>.yaml` beside the project. */
  readonly configFile?: string;
  /** Show each resource's property diffs (`--diff`). */
  readonly diff?: boolean;
}

/** A CLI command line read as an inline operation. */
export interface InlineCommand {
  readonly op: InlineOperation;
  readonly stack: string | undefined;
  readonly options: InlineOptions;
}

/**
 * Reads `pulumi <op> [flags]` as an inline operation, or undefined when `args` is no such
 * operation. The Automation API runs `up`, `refresh` and `destroy` with `--yes --skip-preview`; a
 * flag it cannot pass is an error, so no test loses a flag silently.
 */
export function inlineCommand(args: readonly string[]): InlineCommand | undefined {
  const [op, ...rest] = args;
  if (!(INLINE_OPERATIONS as readonly string[]).includes(op ?? "")) return undefined;
  let stack: string | undefined;
  const options: { -readonly [K in keyof InlineOptions]: InlineOptions[K] } = {};
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i] ?? "";
    const verbosity = /^-v=(\d+)$/.exec(flag);
    if (flag === "--yes" || flag === "-y" || flag === "--skip-preview" || flag === "-f") continue;
    else if (flag === "--stack" || flag === "-s") stack = rest[++i];
    else if (flag === "--debug" || flag === "-d") options.debug = true;
    else if (flag === "--logtostderr") options.logToStdErr = true;
    else if (flag === "--config-file") options.configFile = rest[++i];
    else if (flag === "--diff") options.diff = true;
    else if (verbosity) options.logVerbosity = Number(verbosity[1]);
    else throw new Error(`pulumi ${op}: the flag ${flag} has no Automation API form in scripts/inline.ts`);
  }
  return { op: op as InlineOperation, stack, options };
}

/** What runs a program inline: the Node.js and Python to use (default: this process's node, the project's venv or python3). */
export interface InlineRuntimes {
  /** A folder holding the `node` to run TypeScript and JavaScript programs with. */
  readonly nodeBin?: string;
  /** The Python interpreter (default: `<project>/venv/bin/python`, else python3 on PATH). */
  readonly python?: string;
}

/** The outcome of an inline run: exit code, output, and the result the runner wrote. */
export interface InlineResult extends PulumiResult {
  /** Change counts by operation (`create`, `same`, ...), the stack outputs after `up`, and the runtime used. */
  readonly result?: {
    readonly summary: Readonly<Record<string, number>>;
    readonly outputs: Readonly<Record<string, { value: unknown; secret: boolean }>>;
    readonly runtime: Readonly<Record<string, string>>;
  };
}

const RUNNERS = path.join(__dirname, "inline");

/**
 * Builds the Go runner for the project in `dir`: the project's files but main.go, with
 * scripts/inline/go/automation.go as main, in a scratch module (relative `replace`s made absolute);
 * returns the binary. Go programs keep their program in `func program(ctx *pulumi.Context) error`.
 */
export function buildGoRunner(dir: string, env: NodeJS.ProcessEnv = process.env): string {
  const scratch = path.join(os.tmpdir(), `pulumi-inline-go-${createHash("sha256").update(path.resolve(dir)).digest("hex").slice(0, 16)}`);
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(scratch, { recursive: true });
  for (const entry of fs.readdirSync(dir)) {
    if (entry === "main.go" || !/\.go$|^go\.(mod|sum)$/.test(entry)) continue;
    fs.copyFileSync(path.join(dir, entry), path.join(scratch, entry));
  }
  fs.copyFileSync(path.join(RUNNERS, "go", "automation.go"), path.join(scratch, "zz_automation_main.go"));
  const modFile = path.join(scratch, "go.mod");
  if (!fs.existsSync(modFile)) throw new Error(`${dir} has no go.mod`);
  const absolute = fs
    .readFileSync(modFile, "utf8")
    .replace(/^(replace\s+\S+(?:\s+\S+)?\s+=>\s+)(\.\.?\/\S*)\s*$/gm, (_, head: string, rel: string) => `${head}${path.resolve(dir, rel)}`);
  fs.writeFileSync(modFile, absolute);
  const goEnv = { ...env, GOFLAGS: "-mod=mod" };
  for (const args of [
    ["mod", "tidy"],
    ["build", "-o", "runner", "."],
  ]) {
    const res = spawnSync("go", args, { cwd: scratch, env: goEnv, encoding: "utf8" });
    if (res.status !== 0) throw new Error(`go ${args.join(" ")} for the inline runner of ${dir} failed: ${res.stderr.trim()}`);
  }
  return path.join(scratch, "runner");
}

/** Go runners already built, by project folder (a project's program does not change between its operations). */
const goRunners = new Map<string, string>();

/** The command that runs `op` of the project in `dir` inline. */
function runnerCommand(runtime: string, dir: string, env: NodeJS.ProcessEnv, runtimes: InlineRuntimes): [string, string[]] {
  switch (runtime) {
    case "nodejs": {
      const node = runtimes.nodeBin ? path.join(runtimes.nodeBin, "node") : process.execPath;
      return [node, [path.join(RUNNERS, "nodejs.js")]];
    }
    case "python": {
      const venv = path.join(dir, "venv", "bin", "python");
      const python = runtimes.python ?? (fs.existsSync(venv) ? venv : (which("python3") ?? "python3"));
      return [python, [path.join(RUNNERS, "python.py")]];
    }
    case "go": {
      let runner = goRunners.get(path.resolve(dir));
      if (!runner || !fs.existsSync(runner)) {
        runner = buildGoRunner(dir, env);
        goRunners.set(path.resolve(dir), runner);
      }
      return [runner, []];
    }
    default:
      throw new Error(`${runtime} programs have no Automation API runner here: run them as file programs`);
  }
}

/**
 * Runs `op` of the project in `dir` on `stack` as an inline program, with `env` (the CLI on its
 * PATH, the backend and passphrase); resolves with the exit code and everything printed, never
 * rejects for a failed operation.
 */
export async function runInline(
  runtime: string,
  command: InlineCommand & { readonly stack: string },
  dir: string,
  env: NodeJS.ProcessEnv,
  runtimes: InlineRuntimes = {},
  echo = false,
): Promise<InlineResult> {
  const resultFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-inline-")), "result.json");
  const [cmd, args] = runnerCommand(runtime, dir, env, runtimes);
  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    PULUMI_INLINE_OPTIONS: JSON.stringify(command.options),
    PULUMI_INLINE_RESULT: resultFile,
    ...(runtimes.nodeBin ? { PATH: `${runtimes.nodeBin}${path.delimiter}${env["PATH"] ?? ""}` } : {}),
  };
  const ran = await runCommand(cmd, [...args, command.op, dir, command.stack], dir, childEnv, echo);
  let result: InlineResult["result"];
  try {
    result = JSON.parse(fs.readFileSync(resultFile, "utf8")) as InlineResult["result"];
  } catch {
    // The operation failed before it wrote a result: the output says why.
  }
  fs.rmSync(path.dirname(resultFile), { recursive: true, force: true });
  return { ...ran, ...(result ? { result } : {}) };
}

/**
 * Runs `pulumi <args>` for the project in `dir` the way `mode` says: an operation that runs the
 * program (preview, up, refresh, destroy) inline through the SDK's Automation API, everything else
 * (config, stack, export, ...) with the CLI itself. Resolves with the exit code and output.
 */
export function runProgramCommand(
  binDir: string,
  args: readonly string[],
  dir: string,
  env: NodeJS.ProcessEnv,
  how: { readonly mode: ProgramMode; readonly runtime: string; readonly stack: string; readonly runtimes?: InlineRuntimes },
  echo = false,
): Promise<InlineResult> {
  const command = how.mode === "inline" ? inlineCommand(args) : undefined;
  if (command) return runInline(how.runtime, { ...command, stack: command.stack ?? how.stack }, dir, env, how.runtimes, echo);
  return runPulumi(binDir, args, dir, env, echo);
}

/** Says once, on stderr, which official language hosts are missing, so which languages run only inline. */
export function reportMissingHosts(script: string, binDir: string): void {
  const missing = INLINE_RUNTIMES.filter((runtime) => !officialHost(runtime, binDir)).map((r) => `pulumi-language-${r}`);
  if (missing.length === 0) return;
  process.stderr.write(
    `${script}: ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not beside the CLI or on PATH: ` +
      "those programs run inline through their SDK's Automation API only, not also as file programs.\n",
  );
}
