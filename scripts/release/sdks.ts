/**
 * The release's SDK artifacts: the Python wheel and sdist (a PEP 517 build of sdk/python with
 * `build`), the Go module as a GOPROXY serves it (scripts/modzip), and the YAML package lock file
 * (`pulumi package gen-sdk --language yaml`). Each is made from the committed tree.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT, cacheRoot, cliEnv, pythonEnv, runPulumi } from "../toolchain";

/** The pinned Python build tools (PyPI): the PEP 517 front end, the backend sdk/python names, and the metadata checker. */
export const PYTHON_BUILD_TOOLS = Object.freeze(["build==1.6.1", "setuptools==84.2.1", "twine==7.0.0"]);

/** Runs a command; returns its stdout; throws one line naming it and the end of what it said. */
function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const res = spawnSync(cmd, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) {
    const said = `${res.stderr ?? ""}${res.stdout ?? ""}`.trim().split("\n").slice(-5).join(" / ");
    throw new Error(`${path.basename(cmd)} ${args.join(" ")} failed (exit ${res.status ?? res.signal}): ${said || res.error?.message}`);
  }
  return res.stdout;
}

/** Extracts the committed `folder` of HEAD into a new temporary folder; returns the copy of `folder`. */
function committed(folder: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jdcloud-image-release-"));
  const archive = path.join(dir, "tree.tar");
  run("git", ["archive", "--format=tar", "-o", archive, "HEAD", folder], REPO_ROOT);
  run("tar", ["-xf", archive, "-C", dir], dir);
  fs.rmSync(archive);
  return path.join(dir, folder);
}

/**
 * Builds the wheel and sdist of the committed sdk/python into `out` (`python -m build`, without
 * build isolation: the backend comes from the pinned tools' cached venv), with `SOURCE_DATE_EPOCH`
 * set for reproducible archives, and checks their metadata with `twine check`; returns their paths.
 */
export function buildPython(out: string, sourceDateEpoch: number): string[] {
  const bin = pythonEnv("release-build", PYTHON_BUILD_TOOLS);
  const sdk = committed("sdk/python");
  try {
    const dist = path.join(path.dirname(sdk), "dist");
    // pyproject.toml's `readme` is sdk/python/README.md: the generated package README, copied up as
    // Pulumi's provider builds do, so the wheel and sdist carry it as their long description.
    fs.copyFileSync(path.join(sdk, "pulumi_jdcloud_image", "README.md"), path.join(sdk, "README.md"));
    const env = { ...process.env, SOURCE_DATE_EPOCH: String(sourceDateEpoch), PIP_DISABLE_PIP_VERSION_CHECK: "1" };
    run(path.join(bin, "python"), ["-m", "build", "--no-isolation", "--sdist", "--wheel", "--outdir", dist, sdk], sdk, env);
    const files = fs.readdirSync(dist).map((f) => path.join(dist, f));
    run(path.join(bin, "twine"), ["check", "--strict", ...files], sdk, env);
    return files.map((f) => {
      const dest = path.join(out, path.basename(f));
      fs.copyFileSync(f, dest);
      return dest;
    });
  } finally {
    fs.rmSync(path.dirname(path.dirname(sdk)), { recursive: true, force: true });
  }
}

/** The Go SDK's module as a GOPROXY serves it: the folder to point `GOPROXY=file://` at, and the module's `h1:` hash. */
export interface GoModuleArtifact {
  readonly goproxy: string;
  readonly module: string;
  readonly version: string;
  readonly hash: string;
}

/**
 * Writes the Go SDK (`sdk/`, its go.mod's module) at `v<version>` into `<out>/goproxy`, from the
 * committed tree at HEAD — the zip the go command makes from the tag `sdk/v<version>`.
 */
export function buildGoModule(out: string, version: string): GoModuleArtifact {
  const goproxy = path.join(out, "goproxy");
  const tool = path.join(REPO_ROOT, "scripts", "modzip");
  const binary = path.join(cacheRoot(), "modzip", "modzip");
  run("go", ["build", "-trimpath", "-o", binary, "."], tool, { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=readonly" });
  const said = run(binary, ["-repo", REPO_ROOT, "-rev", "HEAD", "-subdir", "sdk", "-version", `v${version}`, "-out", goproxy], REPO_ROOT);
  const [module = "", v = "", hash = ""] = said.trim().split(" ");
  return { goproxy, module, version: v, hash };
}

/**
 * Writes the YAML package lock file (`jdcloud-image-<version>.yaml`: name, version, download URL)
 * into `out` with the Pulumi CLI and the YAML host in `binDir`, from the committed schema.
 */
export async function buildYamlLock(out: string, binDir: string, version: string): Promise<string> {
  const schema = committed("plugin/schema.json");
  const scratch = path.dirname(path.dirname(schema));
  try {
    const home = path.join(scratch, "pulumi-home");
    const args = ["package", "gen-sdk", schema, "--language", "yaml", "--out", path.join(scratch, "sdk")];
    const res = await runPulumi(binDir, args, scratch, cliEnv(binDir, { PULUMI_HOME: home }));
    if (res.code !== 0)
      throw new Error(`pulumi package gen-sdk --language yaml failed: ${res.output.trim().split("\n").slice(-3).join(" / ")}`);
    const name = `jdcloud-image-${version}.yaml`;
    const made = path.join(scratch, "sdk", "yaml", name);
    if (!fs.existsSync(made)) throw new Error(`pulumi package gen-sdk --language yaml wrote no ${name}`);
    const dest = path.join(out, name);
    fs.copyFileSync(made, dest);
    return dest;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
