/**
 * Run 5: `pulumi preview` of a generated stack with 200 getImage lookups of 20 images, against
 * the same stack with none, with the CLI from pulumi:install: as file programs where the official
 * Node.js host is installed, else inline through the Automation API (both stacks the same way).
 * Run 6: the same gate failing on a missing image against it passing. Run 10: a fleet of 200
 * instance-like resources over 20 images with `guardImages()` at the top, against the same fleet
 * unguarded.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Emulator } from "../emulator";
import { officialHost, runProgramCommand } from "../scripts/inline";
import { findCli, linkPackage, localBackendEnv, median } from "../scripts/toolchain";

function gateProgram(imageId: string): string {
  return `import { getImageOutput, ImageLookup } from "pulumi-jdcloud-image";
const image = getImageOutput({ imageId: "${imageId}", require: { osType: "linux" } });
new ImageLookup("tracked", { imageId: "${imageId}", require: { osType: "linux" } });
export const platform = image.platform;
`;
}

function program(lookups: boolean): string {
  return `import * as pulumi from "@pulumi/pulumi";
import { getImageOutput } from "pulumi-jdcloud-image";
const ids: string[] = ${JSON.stringify(Array.from({ length: 20 }, (_, i) => `img-bench${String(i).padStart(4, "0")}`))};
const platforms: pulumi.Output<string>[] = [];
for (let i = 0; i < 200; i++) {
  platforms.push(${lookups ? "getImageOutput({ imageId: ids[i % ids.length] }).platform" : 'pulumi.output("Ubuntu")'});
}
export const count = pulumi.all(platforms).apply((p) => p.length);
`;
}

function fleetProgram(guarded: boolean): string {
  return `import * as pulumi from "@pulumi/pulumi";
import { guardImages } from "pulumi-jdcloud-image";
${guarded ? 'guardImages({ require: { osType: "linux" } });' : "void guardImages;"}
const recorder: pulumi.dynamic.ResourceProvider = {
  async create(inputs: Record<string, unknown>) { return { id: String(inputs["name"]), outs: inputs }; },
};
class Vm extends pulumi.dynamic.Resource {
  constructor(name: string, imageId: string) { super(recorder, name, { name, imageId, instanceType: "g.n2.medium" }); }
}
const ids: string[] = ${JSON.stringify(Array.from({ length: 20 }, (_, i) => `img-bench${String(i).padStart(4, "0")}`))};
for (let i = 0; i < 200; i++) new Vm(\`vm-\${i}\`, ids[i % ids.length]!);
`;
}

function makeStack(root: string, name: string, source: string): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n`);
  fs.writeFileSync(path.join(dir, "index.ts"), source);
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, main: "index.ts" }));
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "commonjs", esModuleInterop: true, skipLibCheck: true } }),
  );
  return dir;
}

/** Preview times of one run of the previews below. */
export interface PreviewTimes {
  /** 200 lookups of 20 images. */
  readonly withLookups: number;
  /** The same stack without lookups. */
  readonly without: number;
  /** A getImageOutput and an ImageLookup of a good image. */
  readonly gatePasses: number;
  /** The same stack naming a missing image: the preview fails. */
  readonly gateFails: number;
  /** 200 instance-like resources over 20 images, with guardImages(). */
  readonly guarded: number;
  /** The same fleet without it. */
  readonly unguarded: number;
  readonly cli: string;
  /** How the programs ran: `file` (the Node.js host) or `inline` (the Automation API). */
  readonly mode: "file" | "inline";
}

/** Median `pulumi preview` times (ms) of each stack, or undefined without a CLI. */
export async function previewTimes(emulator: Emulator, rounds = 3): Promise<PreviewTimes | undefined> {
  const cli = findCli();
  if (!cli) return undefined;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "jdcloud-bench-preview-"));
  linkPackage(root, true);
  const state = path.join(root, "state");
  fs.mkdirSync(path.join(state, "home"), { recursive: true });
  const env = localBackendEnv(cli.binDir, state, "bench");
  const mode = officialHost("nodejs", cli.binDir) ? "file" : "inline";
  const pulumi = async (dir: string, args: string[], mustFail = false): Promise<number> => {
    const result = await runProgramCommand(cli.binDir, args, dir, env, { mode, runtime: "nodejs", stack: "bench" });
    if ((result.code !== 0) !== mustFail) throw new Error(`pulumi ${args.join(" ")} exited ${result.code}: ${result.output}`);
    return result.ms;
  };
  const stacks: Record<string, { source: string; fails: boolean }> = {
    "with-lookups": { source: program(true), fails: false },
    "without-lookups": { source: program(false), fails: false },
    "gate-passes": { source: gateProgram("img-bench0000"), fails: false },
    "gate-fails": { source: gateProgram("img-missing0000"), fails: true },
    "fleet-guarded": { source: fleetProgram(true), fails: false },
    "fleet-unguarded": { source: fleetProgram(false), fails: false },
  };
  const times: Record<string, number[]> = {};
  for (const [name, { source, fails }] of Object.entries(stacks)) {
    const dir = makeStack(root, name, source);
    await pulumi(dir, ["stack", "init", "bench"]);
    for (const [k, v] of [
      ["jdcloud-image:endpoint", emulator.endpoint],
      ["jdcloud-image:accessKey", emulator.accessKey],
      ["jdcloud-image:region", "cn-north-1"],
    ]) {
      await pulumi(dir, ["config", "set", k, v]);
    }
    await pulumi(dir, ["config", "set", "--secret", "jdcloud-image:secretKey", emulator.secretKey]);
    await pulumi(dir, ["preview"], fails); // warm-up: ts-node cache, plugin discovery
    times[name] = [];
  }
  for (let r = 0; r < rounds; r++) {
    for (const [name, { fails }] of Object.entries(stacks)) times[name]?.push(await pulumi(path.join(root, name), ["preview"], fails));
  }
  fs.rmSync(root, { recursive: true, force: true });
  const m = (name: string): number => median(times[name] ?? []);
  return {
    withLookups: m("with-lookups"),
    without: m("without-lookups"),
    gatePasses: m("gate-passes"),
    gateFails: m("gate-fails"),
    guarded: m("fleet-guarded"),
    unguarded: m("fleet-unguarded"),
    cli: cli.version,
    mode,
  };
}
