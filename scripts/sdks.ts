/**
 * Generates the Python and Go SDKs from plugin/schema.json with Pulumi's own code generators
 * (`pkg/codegen/python`, `pkg/codegen/go` of `github.com/pulumi/pulumi/pkg/v3`, at the CLI's pinned
 * version), called by a small Go program of ours, scripts/gensdk — what the official language hosts
 * call when `pulumi package gen-sdk` asks them, without needing those hosts. Shared by
 * `npm run gen-sdk` (writes sdk/python and sdk/go) and the e2e suite (generates into a scratch
 * folder and compares with what is committed).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT, TOOLCHAIN, cacheRoot } from "./toolchain";

/** The languages generated from the schema; TypeScript's SDK is written by hand (sdk/nodejs). */
export const GENERATED_LANGUAGES = ["python", "go"] as const;

/** The committed schema. */
export const SCHEMA_FILE = path.join(REPO_ROOT, "plugin", "schema.json");

/** Hand-written files the Python generator carries into the SDK (`overlays/python/...`). */
export const OVERLAYS = path.join(REPO_ROOT, "sdk", "overlays");

/** The generator's Go module. */
const GENERATOR = path.join(REPO_ROOT, "scripts", "gensdk");

/** Builds scripts/gensdk (Go's build cache makes a rebuild quick); returns the binary. */
export function buildGenerator(): string {
  const binary = path.join(cacheRoot(), `gensdk-pkg-v${TOOLCHAIN.pulumi}`, "gensdk");
  const res = spawnSync("go", ["build", "-trimpath", "-o", binary, "."], {
    cwd: GENERATOR,
    env: { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=readonly" },
    encoding: "utf8",
  });
  if (res.status !== 0) throw new Error(`go build of scripts/gensdk failed: ${(res.stderr || res.error?.message || "").trim()}`);
  return binary;
}

/** Writes `<outRoot>/python` and `<outRoot>/go` afresh from the schema. */
export function generateSdks(outRoot: string): void {
  const args = ["-schema", SCHEMA_FILE, "-out", outRoot, "-language", GENERATED_LANGUAGES.join(",")];
  if (fs.existsSync(OVERLAYS)) args.push("-overlays", OVERLAYS);
  const res = spawnSync(buildGenerator(), args, { encoding: "utf8" });
  if (res.status !== 0) throw new Error(`SDK generation failed: ${(res.stderr || res.stdout).trim()}`);
}

/** Every file under `dir`, as paths relative to it, sorted; without what running Python leaves beside its files (git ignores it too). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (entry.name === "__pycache__" || entry.name.endsWith(".pyc")) continue;
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  walk("");
  return out.sort();
}
