/**
 * Run 8: what a program in another language pays for the provider plugin — start the plugin
 * process, configure it, answer one getImage invoke — against the dynamic provider's path that
 * TypeScript stacks take for an ImageLookup (start `@pulumi/pulumi`'s dynamic-provider host,
 * configure, check and create). Both are real processes driven over gRPC as the engine drives
 * them, interleaved round by round, against the emulator.
 *
 * Run 9: the release's self-contained linux-amd64 plugin (a Node.js single executable application
 * with a V8 code cache) against the same bundle run by the `node` on PATH, as bin/ runs it, on the
 * same two measures; and the size of every plugin tarball of the release.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tar from "tar";
import { PLUGIN_TARGETS, pluginExecutableName, pluginTarballName } from "../scripts/release/plugins";
import { Emulator, startEmulator } from "../emulator/server";
import { envWithoutJdcloud, median } from "../scripts/toolchain";
import { call, configureRequest, message, startProvider, struct, toJs } from "../test/support/grpcProvider";
import { REPO_ROOT, programDir, serializedProvider } from "../test/support/providerText";

/** Median times of one path, in milliseconds. */
export interface PathTimes {
  /** From spawning the process to its port on stdout. */
  readonly startMs: number;
  /** From spawning the process to the image's fields in hand. */
  readonly totalMs: number;
}

const PLUGIN = path.join(REPO_ROOT, "bin", "pulumi-resource-jdcloud-image");
const DYNAMIC_HOST = path.join(REPO_ROOT, "node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js");
const URN = "urn:pulumi:bench::bench::pulumi-nodejs:dynamic/jdcloud:ImageLookup::image";

async function pluginRound(emulator: Emulator, command = PLUGIN): Promise<{ start: number; total: number }> {
  const t0 = performance.now();
  const plugin = await startProvider(command, [], { env: envWithoutJdcloud() });
  const start = performance.now() - t0;
  try {
    const config = { endpoint: emulator.endpoint, accessKey: emulator.accessKey, secretKey: emulator.secretKey };
    await call(plugin.client, "configure", configureRequest(config));
    const res = await call(
      plugin.client,
      "invoke",
      message("InvokeRequest", {
        setTok: "jdcloud-image:index:getImage",
        setArgs: struct({ imageId: "img-h8ly274zg9", regionId: "cn-north-1" }),
      }),
    );
    if (toJs(res["getReturn"]?.())["platform"] !== "Ubuntu") throw new Error("the plugin returned no image");
    return { start, total: performance.now() - t0 };
  } finally {
    plugin.close();
  }
}

async function dynamicRound(emulator: Emulator, providerText: string, cwd: string): Promise<{ start: number; total: number }> {
  const t0 = performance.now();
  const host = await startProvider(process.execPath, [DYNAMIC_HOST], { cwd, env: envWithoutJdcloud() });
  const start = performance.now() - t0;
  try {
    const config = {
      "jdcloud-image:endpoint": emulator.endpoint,
      "jdcloud-image:accessKey": emulator.accessKey,
      "jdcloud-image:secretKey": emulator.secretKey,
    };
    await call(host.client, "configure", message("ConfigureRequest", { setArgs: struct(config) }));
    const news = { imageId: "img-h8ly274zg9", regionId: "cn-north-1", __provider: providerText };
    const checked = await call(host.client, "check", message("CheckRequest", { setUrn: URN, setOlds: struct({}), setNews: struct(news) }));
    const created = await call(host.client, "create", message("CreateRequest", { setUrn: URN, setProperties: checked["getInputs"]?.() }));
    if (toJs(created["getProperties"]?.())["platform"] !== "Ubuntu") throw new Error("the dynamic provider returned no image");
    return { start, total: performance.now() - t0 };
  } finally {
    host.close();
  }
}

/** Interleaved rounds of both paths against an emulator with the built-in images; medians of each. */
export async function pluginTimes(rounds = 9): Promise<{ plugin: PathTimes; dynamic: PathTimes }> {
  const emulator = await startEmulator({});
  try {
    const providerText = await serializedProvider();
    const cwd = programDir();
    const p: Array<{ start: number; total: number }> = [];
    const d: Array<{ start: number; total: number }> = [];
    await pluginRound(emulator);
    await dynamicRound(emulator, providerText, cwd);
    for (let i = 0; i < rounds; i++) {
      p.push(await pluginRound(emulator));
      d.push(await dynamicRound(emulator, providerText, cwd));
    }
    const times = (xs: typeof p): PathTimes => ({ startMs: median(xs.map((x) => x.start)), totalMs: median(xs.map((x) => x.total)) });
    return { plugin: times(p), dynamic: times(d) };
  } finally {
    await emulator.close();
  }
}

/** The release's plugin tarballs (dist/release, from `npm run release`), by target, with their sizes in bytes. */
export function releaseTarballSizes(version: string): Array<{ target: string; kind: string; bytes: number | undefined }> {
  return PLUGIN_TARGETS.map((t) => {
    const file = path.join(REPO_ROOT, "dist", "release", pluginTarballName(version, t.target));
    return { target: t.target, kind: t.kind, bytes: fs.existsSync(file) ? fs.statSync(file).size : undefined };
  });
}

/**
 * Interleaved rounds of the release's self-contained linux-amd64 plugin and of bin/ (the same
 * bundle on the node on PATH); undefined when dist/release holds no release of `version`.
 */
export async function selfContainedTimes(version: string, rounds = 9): Promise<{ sea: PathTimes; bundle: PathTimes } | undefined> {
  const tarball = path.join(REPO_ROOT, "dist", "release", pluginTarballName(version, "linux-amd64"));
  if (!fs.existsSync(tarball)) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jdcloud-image-bench-sea-"));
  const emulator = await startEmulator({});
  try {
    tar.x({ file: tarball, cwd: dir, sync: true });
    const sea = path.join(dir, pluginExecutableName("linux-amd64"));
    const s: Array<{ start: number; total: number }> = [];
    const b: Array<{ start: number; total: number }> = [];
    await pluginRound(emulator, sea);
    await pluginRound(emulator);
    for (let i = 0; i < rounds; i++) {
      s.push(await pluginRound(emulator, sea));
      b.push(await pluginRound(emulator));
    }
    const times = (xs: typeof s): PathTimes => ({ startMs: median(xs.map((x) => x.start)), totalMs: median(xs.map((x) => x.total)) });
    return { sea: times(s), bundle: times(b) };
  } finally {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
