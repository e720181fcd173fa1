/**
 * Generates the Python and Go SDKs from plugin/schema.json with `pulumi package gen-sdk` and the
 * official language hosts (each host must be on PATH: it is the host that writes its language).
 * Shared by `npm run gen-sdk` (writes sdk/python and sdk/go) and the e2e suite (generates into a
 * scratch folder and compares with what is committed).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT, cliEnv } from "./toolchain";

/** The languages generated from the schema; TypeScript's SDK is written by hand (sdk/nodejs). */
export const GENERATED_LANGUAGES = ["python", "go"] as const;

/** The committed schema. */
export const SCHEMA_FILE = path.join(REPO_ROOT, "plugin", "schema.json");

/** Writes `<outRoot>/python` and `<outRoot>/go` afresh from the schema with the CLI in `binDir`. */
export function generateSdks(binDir: string, outRoot: string): void {
  for (const language of GENERATED_LANGUAGES) {
    fs.rmSync(path.join(outRoot, language), { recursive: true, force: true });
    const res = spawnSync(path.join(binDir, "pulumi"), ["package", "gen-sdk", SCHEMA_FILE, "--language", language, "--out", outRoot], {
      env: cliEnv(binDir),
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (res.status !== 0)
      throw new Error(`pulumi package gen-sdk --language ${language} failed: ${res.stderr.trim() || res.stdout.trim()}`);
  }
}

/** Every file under `dir`, as paths relative to it, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  walk("");
  return out.sort();
}
