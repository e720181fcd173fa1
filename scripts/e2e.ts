/**
 * npm run test:e2e — the end-to-end suite with the real Pulumi CLI and the official language
 * hosts. It gets the toolchain (npm run pulumi:install), packs this package as `npm pack` would
 * publish it, installs the tarball into a scratch workspace the way a user would, and runs
 * test/e2e against every example stack there.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT, installWorkspace, packPackage } from "./toolchain";

/** Runs `npm run pulumi:install` and returns the bin/ it printed last. */
export function installToolchain(): string {
  const res = spawnSync("npm", ["run", "--silent", "pulumi:install"], { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (res.status !== 0) throw new Error(`npm run pulumi:install failed with exit code ${res.status}`);
  return res.stdout.trim().split("\n").pop() ?? "";
}

/** Runs mocha with a config from test/, with extra environment; returns its exit code. */
export function mocha(config: string, env: Record<string, string>): number {
  const bin = require.resolve("mocha/bin/mocha.js", { paths: [REPO_ROOT] });
  const res = spawnSync(process.execPath, [bin, "--config", path.join(REPO_ROOT, "test", config)], { cwd: REPO_ROOT, stdio: "inherit", env: { ...process.env, ...env } });
  return res.status ?? 1;
}

function main(): number {
  const binDir = installToolchain();
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "jdcloud-image-e2e-"));
  installWorkspace(workspace, { tarball: packPackage(workspace) });
  const code = mocha(path.join("e2e", ".mocharc.json"), { E2E_PULUMI_BIN: binDir, E2E_WORKSPACE: workspace });
  if (code === 0 && !process.env["E2E_KEEP"]) fs.rmSync(workspace, { recursive: true, force: true });
  else process.stderr.write(`e2e: workspace kept at ${workspace}\n`);
  return code;
}

if (require.main === module) {
  try {
    process.exitCode = main();
  } catch (err) {
    process.stderr.write(`e2e: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
