// @ts-check
/**
 * Runs one operation of a TypeScript or JavaScript Pulumi project through the Automation API of
 * the project's own `@pulumi/pulumi`, as an inline program: the SDK serves the program to the CLI
 * (`--client`), so no language host is needed, while the CLI, the engine and every plugin are the
 * real ones. The inline program loads the project's main module, as a program function that
 * returns its exports (what a file program's exports are: the stack outputs).
 *
 *   node scripts/inline/nodejs.js <preview|up|refresh|destroy> <project folder> <stack>
 *
 * Options come as JSON in PULUMI_INLINE_OPTIONS: { debug, logVerbosity, logToStdErr, configFile, diff }. The CLI's
 * output is written as it comes (stdout to stdout, stderr to stderr); the exit code is 0 when the
 * operation succeeded. When PULUMI_INLINE_RESULT names a file, the result is written there as
 * JSON: { summary, outputs, runtime: { node, pulumi } }.
 *
 * Plain JavaScript, so any Node.js runs it with nothing compiled; TypeScript programs are compiled
 * with the project's own ts-node and tsconfig.json, type-checked unless
 * PULUMI_NODEJS_TRANSPILE_ONLY=true (as Pulumi's Node.js host does).
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { createRequire } = require("node:module");

/** The project's `name`, `main` and whether it is TypeScript, read from its Pulumi.yaml. */
function readProject(dir) {
  const text = fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8");
  const name = /^name:\s*(\S+)\s*$/m.exec(text)?.[1];
  if (!name) throw new Error(`${path.join(dir, "Pulumi.yaml")} names no project`);
  const main = /^main:\s*(\S+)\s*$/m.exec(text)?.[1];
  const typescript = !/^\s+typescript:\s*false\s*$/m.test(text);
  return { name, main, typescript };
}

/** The file a program's folder runs: `main:` of Pulumi.yaml, else package.json's main, else index.ts/index.js. */
function programFile(dir, main) {
  const root = main ? path.resolve(dir, main) : dir;
  if (fs.existsSync(root) && fs.statSync(root).isFile()) return root;
  const pkg = path.join(root, "package.json");
  if (fs.existsSync(pkg)) {
    const declared = JSON.parse(fs.readFileSync(pkg, "utf8")).main;
    if (typeof declared === "string") return path.resolve(root, declared);
  }
  for (const name of ["index.ts", "index.js"]) if (fs.existsSync(path.join(root, name))) return path.join(root, name);
  throw new Error(`no program in ${root}: give Pulumi.yaml a main, or add index.ts`);
}

/** Whether the CLI's stderr was written as it came (SDKs that have `onError`). */
let stderrStreamed = false;

async function main() {
  const [op, dir, stackName] = process.argv.slice(2);
  if (!op || !dir || !stackName || !["preview", "up", "refresh", "destroy"].includes(op)) {
    throw new Error("usage: node nodejs.js <preview|up|refresh|destroy> <project folder> <stack>");
  }
  const workDir = path.resolve(dir);
  const options = JSON.parse(process.env["PULUMI_INLINE_OPTIONS"] || "{}");
  const project = readProject(workDir);
  const file = programFile(workDir, project.main);
  // Everything resolves from the program's folder: one @pulumi/pulumi for the Automation API and
  // the program, as one process must have.
  const load = createRequire(file);
  if (project.typescript && file.endsWith(".ts")) {
    // ts-node and TypeScript as Pulumi's Node.js host finds them: from where @pulumi/pulumi is
    // installed (the project's own, as a rule), else the copies @pulumi/pulumi vendors.
    const fromSdk = createRequire(load.resolve("@pulumi/pulumi/package.json"));
    const sdkDir = path.dirname(load.resolve("@pulumi/pulumi/package.json"));
    const pick = (/** @type {string} */ name, /** @type {string} */ vendored) => {
      try {
        return fromSdk.resolve(name);
      } catch {
        return path.join(sdkDir, "vendor", vendored);
      }
    };
    const transpileOnly = process.env["PULUMI_NODEJS_TRANSPILE_ONLY"] === "true";
    const tsconfig = path.join(path.dirname(file), "tsconfig.json");
    fromSdk(pick("ts-node", "ts-node@7.0.1")).register({
      compiler: pick("typescript", path.join("typescript@3.8.3", "typescript.js")),
      transpileOnly,
      typeCheck: !transpileOnly,
      ...(fs.existsSync(tsconfig) ? { project: tsconfig } : { skipProject: true }),
      compilerOptions: { module: "commonjs", sourceMap: true },
    });
  }
  const { LocalWorkspace } = load("@pulumi/pulumi/automation");
  const program = async () => {
    const exported = load(file);
    // A program may export one (async) function, whose result is its outputs.
    return typeof exported === "function" ? await exported() : exported;
  };
  const stack = await LocalWorkspace.createOrSelectStack({ projectName: project.name, stackName, program }, { workDir });
  const flags = {
    onOutput: (/** @type {string} */ text) => process.stdout.write(text),
    // Older SDKs (before onError) keep the CLI's stderr for the error they throw: see below.
    onError: (/** @type {string} */ text) => {
      stderrStreamed = true;
      process.stderr.write(text);
    },
    ...(options.debug ? { debug: true } : {}),
    ...(options.logVerbosity !== undefined ? { logVerbosity: options.logVerbosity } : {}),
    ...(options.logToStdErr ? { logToStdErr: true } : {}),
    ...(options.configFile ? { configFile: options.configFile } : {}),
    ...(options.diff ? { diff: true } : {}),
  };
  const result = await stack[op](flags);
  const resultFile = process.env["PULUMI_INLINE_RESULT"];
  if (resultFile) {
    const summary = result.changeSummary ?? result.summary?.resourceChanges ?? {};
    const outputs = result.outputs ?? {};
    const runtime = { node: process.version, pulumi: load("@pulumi/pulumi/package.json").version };
    fs.writeFileSync(resultFile, JSON.stringify({ summary, outputs, runtime }));
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    // A failed command's error repeats the CLI's output, which was written as it came. What the
    // CLI wrote to stderr is in the process error the SDK keeps (`commandResult.err.stderr`): it
    // is written here when this SDK could not stream it (before `onError`). Any other error is ours.
    const commandResult = err && typeof err === "object" ? err.commandResult : undefined;
    // A CLI that never ran (none on PATH) printed nothing; the SDK's text says why.
    if (!commandResult) process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    else if (commandResult.err?.code === "ENOENT") process.stderr.write(`${commandResult.stderr}\n`);
    else if (!stderrStreamed && typeof commandResult.err?.stderr === "string") process.stderr.write(commandResult.err.stderr);
    process.exit(1);
  },
);
