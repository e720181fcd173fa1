/** Runs the built emulator bin as a process and reads its ready line. */
import { ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import * as path from "node:path";

/** Path of the built bin (npm test builds first). */
export const EMULATOR_BIN = path.resolve(__dirname, "../../dist/emulator/bin.js");

/** A running bin with its ready line parsed, its stderr collected. */
export interface RunningBin {
  readonly child: ChildProcessWithoutNullStreams;
  readonly ready: { endpoint: string; accessKey: string; secretKey: string };
  readonly stdoutLines: string[];
  stderr(): string;
  /** Resolves once stderr matches `pattern` (the bin logs a request after answering it). */
  stderrMatching(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts the bin with args; resolves at its first stdout line, rejects if it exits first. */
export function startBin(args: string[]): Promise<RunningBin> {
  const child = spawn(process.execPath, [EMULATOR_BIN, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  let stdout = "";
  const stdoutLines: string[] = [];
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
      const lines = stdout.split("\n");
      stdout = lines.pop() ?? "";
      for (const line of lines) {
        stdoutLines.push(line);
        if (stdoutLines.length === 1) {
          resolve({
            child,
            ready: JSON.parse(line) as RunningBin["ready"],
            stdoutLines,
            stderr: () => stderr,
            stderrMatching: (pattern, timeoutMs = 5_000) =>
              new Promise<string>((resolveMatch, rejectMatch) => {
                const check = (): boolean => {
                  if (!pattern.test(stderr)) return false;
                  child.stderr.off("data", check);
                  clearTimeout(timer);
                  resolveMatch(stderr);
                  return true;
                };
                const timer = setTimeout(() => {
                  child.stderr.off("data", check);
                  rejectMatch(new Error(`stderr never matched ${pattern}: ${stderr}`));
                }, timeoutMs);
                if (!check()) child.stderr.on("data", check);
              }),
            stop: async (signal = "SIGTERM") => {
              child.kill(signal);
              return exited;
            },
          });
        }
      }
    });
    void exited.then((code) => reject(new Error(`emulator exited with ${code} before it was ready: ${stderr}`)));
  });
}

/** Runs the bin to completion; resolves with its exit code and output. */
export function runBin(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [EMULATOR_BIN, ...args]);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}
