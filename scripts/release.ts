/**
 * npm run release — cuts the release of the version in package.json from the committed tree into
 * dist/release/, everything a registry and a release page take:
 *
 *   pulumi-jdcloud-image-X.Y.Z.tgz                       the npm package (TypeScript SDK, emulator and its bin)
 *   pulumi_jdcloud_image-X.Y.Z-py3-none-any.whl, .tar.gz  the Python SDK (wheel and sdist, with pulumi-plugin.json)
 *   goproxy/…/sdk/@v/vX.Y.Z.{zip,mod,info}                the Go SDK as a GOPROXY serves it (tag sdk/vX.Y.Z)
 *   jdcloud-image-X.Y.Z.yaml                             the YAML package lock file
 *   pulumi-resource-jdcloud-image-vX.Y.Z-OS-ARCH.tar.gz   the plugin, per target (scripts/release/plugins.ts)
 *   checksums.txt                                        SHA-256 of every file above
 *
 * and dist/release-notes.md, the CHANGELOG's section for the version. It refuses a tree with
 * uncommitted changes, a version without a CHANGELOG.md entry, and a schema or SDK that names another
 * version or download URL than package.json gives (run `npm run gen-sdk`).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { packageManifest, pluginDownloadURL } from "../plugin/schemaGen";
import { buildPluginTarballs, sha256 } from "./release/plugins";
import { buildGoModule, buildPython, buildYamlLock } from "./release/sdks";
import { REPO_ROOT, installToolchain, runScript } from "./toolchain";

/** Where the release is written. */
export const RELEASE_DIR = path.join(REPO_ROOT, "dist", "release");

function git(args: readonly string[]): string {
  const res = spawnSync("git", args, { cwd: REPO_ROOT, encoding: "utf8" });
  if (res.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${(res.stderr || res.error?.message || "").trim()}`);
  return res.stdout;
}

/** Why `git status --porcelain` output forbids a release (a release is a commit's), or undefined for a clean tree. */
export function dirtyTreeProblem(porcelain: string): string | undefined {
  const changes = porcelain.split("\n").filter(Boolean);
  if (changes.length === 0) return undefined;
  const shown = changes
    .slice(0, 3)
    .map((l) => l.slice(3))
    .join(", ");
  return `the tree has ${changes.length} uncommitted change${changes.length === 1 ? "" : "s"} (${shown}${changes.length > 3 ? ", ..." : ""}); commit or stash them, then run npm run release again`;
}

/** Refuses uncommitted changes; returns the commit released. */
function checkClean(): string {
  const problem = dirtyTreeProblem(git(["status", "--porcelain"]));
  if (problem) throw new Error(problem);
  return git(["rev-parse", "HEAD"]).trim();
}

/** The CHANGELOG.md section of `version` (its `## X.Y.Z` heading to the next `## `); refuses a version without one. */
export function changelogSection(changelog: string, version: string): string {
  const escaped = version.replace(/\./g, "\\.");
  const heading = new RegExp(`^## \\[?${escaped}\\]?(?=[\\s—-]|$).*$`, "m");
  const match = heading.exec(changelog);
  if (!match) {
    throw new Error(
      `CHANGELOG.md has no entry for ${version}; add a "## ${version}" section saying what changed (and how to migrate), then commit it`,
    );
  }
  const rest = changelog.slice(match.index + match[0].length);
  const next = rest.search(/^## /m);
  return `${match[0]}${next === -1 ? rest : rest.slice(0, next)}`.trim();
}

/** Every committed file that carries the version or the download URL, and what it says, against package.json. */
export function versionProblems(root: string, version: string, downloadURL: string): string[] {
  const read = (rel: string): string => fs.readFileSync(path.join(root, rel), "utf8");
  const problems: string[] = [];
  const expect = (rel: string, what: string, found: string | undefined, wanted: string): void => {
    if (found !== wanted) problems.push(`${rel} has ${what} ${JSON.stringify(found ?? null)}, not ${JSON.stringify(wanted)}`);
  };
  const schema = JSON.parse(read("plugin/schema.json")) as { version?: string; pluginDownloadURL?: string };
  expect("plugin/schema.json", "version", schema.version, version);
  expect("plugin/schema.json", "pluginDownloadURL", schema.pluginDownloadURL, downloadURL);
  for (const rel of ["sdk/python/pulumi_jdcloud_image/pulumi-plugin.json", "sdk/go/jdcloudimage/pulumi-plugin.json"]) {
    const plugin = JSON.parse(read(rel)) as { version?: string; server?: string; name?: string };
    expect(rel, "name", plugin.name, "jdcloud-image");
    expect(rel, "version", plugin.version, version);
    expect(rel, "server", plugin.server, downloadURL);
  }
  expect("sdk/python/pyproject.toml", "version", /^\s*version = "([^"]*)"/m.exec(read("sdk/python/pyproject.toml"))?.[1], version);
  const goUtilities = "sdk/go/jdcloudimage/internal/pulumiUtilities.go";
  expect(goUtilities, "version", /semver\.MustParse\("([^"]*)"\)/.exec(read(goUtilities))?.[1], version);
  return problems;
}

function run(cmd: string, args: readonly string[]): string {
  const res = spawnSync(cmd, args, { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed with exit code ${res.status}`);
  return res.stdout;
}

/** Every file under `dir`, relative to it, sorted. */
function filesUnder(dir: string, rel = ""): string[] {
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(dir, path.join(rel, e.name)) : [path.join(rel, e.name)]))
    .sort();
}

/** Writes checksums.txt (`sha256sum` format) over every other file in `dir`; returns its lines. */
export function writeChecksums(dir: string): string[] {
  const lines = filesUnder(dir)
    .filter((f) => f !== "checksums.txt")
    .map((f) => `${sha256(path.join(dir, f))}  ${f.split(path.sep).join("/")}`);
  fs.writeFileSync(path.join(dir, "checksums.txt"), `${lines.join("\n")}\n`);
  return lines;
}

async function main(): Promise<number> {
  const started = Date.now();
  const manifest = packageManifest();
  const { version } = manifest;
  const commit = checkClean();
  const notes = changelogSection(fs.readFileSync(path.join(REPO_ROOT, "CHANGELOG.md"), "utf8"), version);
  const problems = versionProblems(REPO_ROOT, version, pluginDownloadURL(manifest.repository));
  if (problems.length > 0) {
    throw new Error(`the committed schema or SDKs do not match package.json (${problems.join("; ")}); run npm run gen-sdk and commit`);
  }
  const epoch = Number(git(["log", "-1", "--format=%ct", "HEAD"]).trim());
  const mtime = new Date(epoch * 1000);
  console.log(`release: ${version} from ${commit.slice(0, 12)}`);

  // A fresh build: nothing stale in dist/ reaches the npm tarball.
  fs.rmSync(path.join(REPO_ROOT, "dist"), { recursive: true, force: true });
  fs.rmSync(path.join(REPO_ROOT, "bin"), { recursive: true, force: true });
  run("npm", ["run", "--silent", "build"]);
  fs.mkdirSync(RELEASE_DIR, { recursive: true });
  fs.writeFileSync(path.join(REPO_ROOT, "dist", "release-notes.md"), `${notes}\n`);

  const tarball = run("npm", ["pack", "--silent", "--pack-destination", RELEASE_DIR]).trim().split("\n").pop() ?? "";
  console.log(`release: npm package ${tarball}`);
  const plugins = buildPluginTarballs(RELEASE_DIR, path.join(REPO_ROOT, "bin", "pulumi-resource-jdcloud-image"), version, mtime);
  for (const p of plugins) console.log(`release: plugin ${path.basename(p.file)} (${p.kind === "sea" ? "self-contained" : "launcher"})`);
  for (const f of buildPython(RELEASE_DIR, epoch)) console.log(`release: Python ${path.basename(f)}`);
  const go = buildGoModule(RELEASE_DIR, version);
  console.log(`release: Go module ${go.module} ${go.version} ${go.hash} (tag sdk/${go.version})`);
  const lock = await buildYamlLock(RELEASE_DIR, installToolchain(), version);
  console.log(`release: YAML lock file ${path.basename(lock)}`);
  const sums = writeChecksums(RELEASE_DIR);

  console.log(`\n| artifact | bytes |\n| --- | ---: |`);
  for (const line of sums) {
    const rel = line.slice(66);
    console.log(`| ${rel} | ${fs.statSync(path.join(RELEASE_DIR, rel)).size.toLocaleString("en-US")} |`);
  }
  console.log(
    `\nrelease: ${sums.length} artifacts and checksums.txt in ${path.relative(REPO_ROOT, RELEASE_DIR)}/ (${((Date.now() - started) / 1000).toFixed(0)} s)`,
  );
  return 0;
}

if (require.main === module) runScript("release", main);
