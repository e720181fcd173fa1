/**
 * npm run test:e2e — the end-to-end suite with the real Pulumi CLI. It gets the toolchain (npm run
 * pulumi:install), packs this package as `npm pack` would publish it, installs the tarball into a
 * scratch workspace the way a user would, and runs test/e2e against every example stack there:
 * TypeScript, Python and Go programs inline through their SDK's Automation API, and also as file
 * programs where the official host of their language is found (it says once which are not); YAML
 * on the official YAML host. Python, Go and YAML use this checkout's plugin and generated SDKs;
 * installing them from a release is the install suite's (npm run test:install).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { reportMissingHosts } from "./inline";
import { REPO_ROOT, installToolchain, installWorkspace, mocha, packPackage, pulumiPythonEnv, runScript } from "./toolchain";

function main(): number {
  const binDir = installToolchain();
  reportMissingHosts("e2e", binDir);
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "jdcloud-image-e2e-"));
  installWorkspace(workspace, { tarball: packPackage(workspace) });
  // This checkout's Python SDK, in the cached venv with Pulumi's Python SDK.
  const python = pulumiPythonEnv();
  // `npm run test:e2e -- languages` runs test/e2e/languages.e2e.ts alone.
  const only = process.argv[2];
  let config = path.join(REPO_ROOT, "test", "e2e", ".mocharc.json");
  if (only !== undefined) {
    const spec = path.join("test", "e2e", `${only}.e2e.ts`);
    if (!/^[a-z-]+$/.test(only) || !fs.existsSync(path.join(REPO_ROOT, spec))) throw new Error(`no suite ${spec}`);
    const base = JSON.parse(fs.readFileSync(config, "utf8")) as Record<string, unknown>;
    config = path.join(workspace, "mocharc.json");
    fs.writeFileSync(config, JSON.stringify({ ...base, spec: [spec] }));
  }
  const code = mocha(config, {
    E2E_PULUMI_BIN: binDir,
    E2E_WORKSPACE: workspace,
    E2E_PYTHON_VENV: path.dirname(python),
  });
  if (code === 0 && !process.env["E2E_KEEP"]) fs.rmSync(workspace, { recursive: true, force: true });
  else process.stderr.write(`e2e: workspace kept at ${workspace}\n`);
  return code;
}

runScript("e2e", main);
