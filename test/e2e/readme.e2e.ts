/**
 * The README's snippets, run as written: its program previewed with its CI steps (a shell runs the
 * block line by line in the stack's folder), its emulator API snippet as a module of the
 * workspace, and its example command from this checkout.
 */
import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { snippet } from "../support/readme";
import { officialHost, programModes } from "../../scripts/inline";
import { ExampleStack, e2eEnvironment, hasStackTrace, modeTitle, packedEmulator } from "./stack";

const ROOT = path.resolve(__dirname, "../..");

/** Whether something still answers on a loopback port. */
function isListening(port: number): boolean {
  const probe = spawnSync(process.execPath, [
    "-e",
    `require("net").connect(${port}, "127.0.0.1").on("connect", () => process.exit(0)).on("error", () => process.exit(1))`,
  ]);
  return probe.status === 0;
}

/** Runs a shell script in its own process group; resolves with its exit code and output, then kills what it left. */
function runShell(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-e", "-c", script], { cwd, env, detached: true });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    // On exit, not close: a process the script left running would hold its output open.
    child.on("exit", (code) => {
      try {
        // Whatever the script started and did not stop (the emulator when a line failed).
        process.kill(-(child.pid ?? 0), "SIGTERM");
      } catch {
        // The group is gone already: the script cleaned up after itself.
      }
      resolve({ code: code ?? 1, output });
    });
  });
}

/** The README's TypeScript program as a project of the workspace (where the packed package is installed). */
function readmeProgram(): string {
  const { workspace } = e2eEnvironment();
  const source = path.join(workspace, "readme-source");
  fs.rmSync(source, { recursive: true, force: true });
  fs.mkdirSync(source, { recursive: true });
  for (const file of ["package.json", "tsconfig.json"])
    fs.copyFileSync(path.join(ROOT, "examples", "quickstart", file), path.join(source, file));
  fs.writeFileSync(path.join(source, "Pulumi.yaml"), "name: readme-snippet\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n");
  fs.writeFileSync(path.join(source, "index.ts"), snippet("program").text);
  return source;
}

describe("the README's snippets, as written", () => {
  for (const mode of programModes("nodejs", e2eEnvironment().binDir)) {
    it(`previews the README's program against the emulator, ${modeTitle(mode)}`, async () => {
      const emulator = await packedEmulator().startEmulator({});
      try {
        const stack = new ExampleStack("readme", "program", undefined, readmeProgram(), mode);
        const { endpoint, accessKey, secretKey } = emulator;
        await stack.init({ endpoint, accessKey, secretKey, region: "cn-north-1" });
        const output = await stack.ok(["preview", "--stack", stack.stack]);
        assert.match(output, /platform\s*: "Ubuntu"/);
        assert.match(output, /\+ 2 to create/);
        assert.ok(!hasStackTrace(output), output);
        assert.ok(!stack.transcript.join("\n").includes(secretKey), "the secret key is not printed");
      } finally {
        await emulator.close();
      }
    });
  }

  // The CI steps run `pulumi preview` in a stack's folder: a file program. They run on the README's
  // TypeScript program where the official Node.js host is installed, else on the YAML example.
  const nodeHost = officialHost("nodejs", e2eEnvironment().binDir) !== undefined;
  it(`runs the README's CI steps as written in the folder of ${nodeHost ? "the README's program" : "examples/yaml (no Node.js host here)"}`, async () => {
    const { workspace } = e2eEnvironment();
    let stack: ExampleStack;
    if (nodeHost) stack = new ExampleStack("readme", "ci", undefined, readmeProgram(), "file");
    else {
      stack = new ExampleStack("yaml", "readme-ci");
      // This checkout's plugin, where a project that installed the SDK from its registry names no path
      // (the engine downloads the plugin from the release: the install suite's part).
      const file = path.join(stack.dir, "Pulumi.yaml");
      fs.writeFileSync(
        file,
        fs.readFileSync(file, "utf8").replace(/path: \.\.\/\.\.\/bin/, `path: ${path.resolve(__dirname, "../../bin")}`),
      );
    }
    // The package is installed in the project, as the steps say: its bin is in node_modules/.bin.
    fs.symlinkSync(path.join(workspace, "node_modules"), path.join(stack.dir, "node_modules"));
    await stack.ok(["stack", "init", stack.stack]);

    const { code, output } = await runShell(snippet("ci").text, stack.dir, stack.env());
    assert.equal(code, 0, output);
    assert.match(output, /platform\s*: "Ubuntu"/);
    assert.match(output, nodeHost ? /\+ 2 to create/ : /\+ 1 to create/);
    assert.ok(!hasStackTrace(output), output);
    assert.ok(!output.includes("CISECRETKEY"), "the secret key is not printed");
    assert.ok(!isListening(18777), "the steps stop the emulator they started");
  });

  it("runs the README's emulator API snippet as a module of a project that installed the package", () => {
    const { workspace } = e2eEnvironment();
    const file = path.join(workspace, "readme-emulator.mjs");
    // The snippet is TypeScript-free: it runs as JavaScript with top-level await.
    fs.writeFileSync(file, snippet("emulator-api").text);
    const res = spawnSync(process.execPath, [file], { cwd: workspace, encoding: "utf8", timeout: 30_000 });
    assert.equal(res.status, 0, res.stderr);
  });

  for (const tag of ["example", "example-languages"]) {
    for (const line of snippet(tag).text.trim().split("\n")) {
      it(`runs the README's \`${line}\` from this checkout`, () => {
        const [, , , , name] = line.split(" ");
        const res = spawnSync("npm", ["run", "--silent", "example", "--", name ?? ""], {
          cwd: ROOT,
          encoding: "utf8",
          timeout: 240_000,
          env: { ...process.env, PATH: `${e2eEnvironment().binDir}${path.delimiter}${process.env["PATH"] ?? ""}` },
        });
        assert.equal(res.status, 0, res.stdout + res.stderr);
        assert.match(res.stdout, /to create/);
      });
    }
  }
});
