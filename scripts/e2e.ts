/**
 * npm run test:e2e — the end-to-end suite with the real Pulumi CLI and the official language
 * hosts. It gets the toolchain (npm run pulumi:install), packs this package as `npm pack` would
 * publish it, installs the tarball into a scratch workspace the way a user would, and runs
 * test/e2e against every example stack there.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { installToolchain, installWorkspace, mocha, packPackage, pulumiPythonEnv, runScript } from "./toolchain";

function main(): number {
  const binDir = installToolchain();
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "jdcloud-image-e2e-"));
  installWorkspace(workspace, { tarball: packPackage(workspace) });
  const python = pulumiPythonEnv();
  const code = mocha(path.join("e2e", ".mocharc.json"), {
    E2E_PULUMI_BIN: binDir,
    E2E_WORKSPACE: workspace,
    E2E_PYTHON_VENV: path.dirname(python),
  });
  if (code === 0 && !process.env["E2E_KEEP"]) fs.rmSync(workspace, { recursive: true, force: true });
  else process.stderr.write(`e2e: workspace kept at ${workspace}\n`);
  return code;
}

runScript("e2e", main);
