/**
 * npm run test:interop — JD Cloud's own clients against the emulator bin, and our JDCLOUD3 signer
 * against the Python SDK's: installs `jdcloud-sdk` and `jdcloud-cli` from PyPI into cached virtual
 * environments (once), builds the package, and runs test/interop.
 */
import * as path from "node:path";
import { buildPackage, jdcCliEnv, mocha, pythonSdkEnv, runScript } from "./toolchain";

function main(): number {
  const sdk = pythonSdkEnv();
  const cli = jdcCliEnv();
  const built = buildPackage();
  if (built !== 0) return built;
  return mocha(path.join("interop", ".mocharc.json"), { INTEROP_PYTHON: path.join(sdk, "python"), INTEROP_JDC: path.join(cli, "jdc") });
}

runScript("interop", main);
