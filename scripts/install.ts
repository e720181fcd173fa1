/**
 * npm run test:install — the install suite (test/install) over the release `npm run release`
 * wrote to dist/release: every artifact checked, the self-contained plugin served under `env -i`,
 * and Python, Go, YAML and TypeScript projects installed from the release alone (see
 * test/install/release.ts), with the official Pulumi CLI (npm run pulumi:install).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { RELEASE_DIR } from "./release";
import { REPO_ROOT, installToolchain, mocha, runScript } from "./toolchain";

function main(): number {
  const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
  const sums = path.join(RELEASE_DIR, "checksums.txt");
  if (!fs.existsSync(sums) || !fs.readFileSync(sums, "utf8").includes(`-v${version}-linux-amd64.tar.gz`)) {
    throw new Error(`dist/release holds no release of ${version}: run npm run release first (it needs a clean, committed tree)`);
  }
  return mocha(path.join("install", ".mocharc.json"), {
    INSTALL_RELEASE_DIR: RELEASE_DIR,
    INSTALL_PULUMI_BIN: installToolchain(),
  });
}

runScript("install", main);
