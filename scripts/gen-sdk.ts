/**
 * npm run gen-sdk — regenerates plugin/schema.json from the code (as `npm run schema` does), then
 * the Python and Go SDKs under sdk/ from it with Pulumi's code generators (scripts/gensdk, see
 * scripts/sdks.ts), and tidies sdk/go.mod. Needs Go, not a Pulumi CLI. Commit what it changes; the
 * e2e suite fails while sdk/ and a fresh generation differ.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { packageManifest, schemaText } from "../plugin/schemaGen";
import { GENERATED_LANGUAGES, SCHEMA_FILE, generateSdks } from "./sdks";
import { REPO_ROOT, runScript } from "./toolchain";

function main(): number {
  const manifest = packageManifest();
  const { version } = manifest;
  fs.writeFileSync(SCHEMA_FILE, schemaText(manifest));
  const sdkRoot = path.join(REPO_ROOT, "sdk");
  generateSdks(sdkRoot);
  const tidy = spawnSync("go", ["mod", "tidy"], { cwd: sdkRoot, stdio: "inherit" });
  if (tidy.status !== 0) return tidy.status ?? 1;
  console.log(`gen-sdk: wrote plugin/schema.json and ${GENERATED_LANGUAGES.map((l) => `sdk/${l}`).join(", ")} at version ${version}`);
  return 0;
}

runScript("gen-sdk", main);
