/**
 * The published types compile in every consumer setup: a program type-checked against the packed
 * package (as installed in the e2e workspace) under Pulumi's TypeScript template tsconfig (strict,
 * commonjs, moduleResolution node, no esModuleInterop, no skipLibCheck), and under node16, nodenext
 * and bundler resolution, as CommonJS and as an ES module, always with skipLibCheck off. The
 * declarations name no dependency's types (zod, re2js) that would drag their declaration files in;
 * @arethetypeswrong/cli and publint report nothing on the packed tarball.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/toolchain";
import { e2eEnvironment } from "./stack";

/** `pulumi new typescript`'s tsconfig.json (compilerOptions), which sets neither esModuleInterop nor skipLibCheck. */
const PULUMI_TEMPLATE = {
  strict: true,
  outDir: "bin",
  target: "es2020",
  module: "commonjs",
  moduleResolution: "node",
  sourceMap: true,
  experimentalDecorators: true,
  pretty: true,
  noFallthroughCasesInSwitch: true,
  noImplicitReturns: true,
  forceConsistentCasingInFileNames: true,
};

/** A consumer program touching every export a user reaches for, and the emulator subpath. */
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import {
  getImage,
  getImageOutput,
  getImages,
  findImageOutput,
  ImageLookup,
  ImageSearch,
  instanceDisks,
  ImageNotFoundError,
  ImageRequirementError,
  UnconfirmedAbsenceError,
  JdcloudImageError,
  clearImageCache,
} from "pulumi-jdcloud-image";
import type { Image, ImageRequirements, LookupOptions, GetImagesResult } from "pulumi-jdcloud-image";
import { startEmulator, parseFaultRule } from "pulumi-jdcloud-image/emulator";
import type { EmulatorImage, FaultRule } from "pulumi-jdcloud-image/emulator";

const require: ImageRequirements = { osType: "linux", platform: ["Ubuntu", "CentOS"], maxSystemDiskSizeGB: 100 };
const options: LookupOptions = { region: "cn-north-1", timeoutMs: 5000 };
const image = getImageOutput({ imageId: "img-h8ly274zg9", require }, options);
export const platform: pulumi.Output<string> = image.platform;
export const disks = image.apply((img: Image) => instanceDisks(img, { systemDiskSizeGB: 60 }).dataDisks.length);
const tracked = new ImageLookup("base", { imageId: "img-h8ly274zg9" });
export const size: pulumi.Output<number> = tracked.systemDiskSizeGB;
const pinned = new ImageSearch("ubuntu", { criteria: { imageSource: "public", platform: "Ubuntu", select: "mostRecent" } });
export const pin: pulumi.Output<string> = pinned.imageId;
export const newest = findImageOutput({ imageSource: "public", nameRegex: "Ubuntu 2[24].*" }).imageId;

export async function probe(): Promise<string> {
  const rule: FaultRule = { kind: "throttle", retryAfterSeconds: 1, times: 1 };
  parseFaultRule(rule);
  const seed: EmulatorImage = { regionId: "cn-north-1", imageId: "img-seed0001", name: "seed", platform: "Ubuntu", systemDiskSizeGB: 40, osType: "linux", status: "ready" };
  const emulator = await startEmulator({ images: [seed] });
  try {
    const found: GetImagesResult = await getImages({ ids: ["img-seed0001"], regionId: "cn-north-1" });
    const one: Image = await getImage({ imageId: "img-seed0001" }, { endpoint: emulator.endpoint });
    return \`\${found.ids.length} \${one.osType}\`;
  } catch (err) {
    if (err instanceof ImageNotFoundError || err instanceof ImageRequirementError || err instanceof UnconfirmedAbsenceError) return err.message;
    if (err instanceof JdcloudImageError) return err.name;
    throw err;
  } finally {
    clearImageCache();
    await emulator.close();
  }
}
`;

/** One consumer setup: its compiler options, and whether its package is an ES module. */
interface Setup {
  readonly name: string;
  readonly compilerOptions: Record<string, unknown>;
  readonly esm: boolean;
}

const SETUPS: readonly Setup[] = [
  { name: "Pulumi's TypeScript template (commonjs, node resolution, no esModuleInterop)", compilerOptions: PULUMI_TEMPLATE, esm: false },
  { name: "node16, CommonJS", compilerOptions: { ...PULUMI_TEMPLATE, module: "node16", moduleResolution: "node16" }, esm: false },
  { name: "node16, ES module", compilerOptions: { ...PULUMI_TEMPLATE, module: "node16", moduleResolution: "node16" }, esm: true },
  { name: "nodenext, CommonJS", compilerOptions: { ...PULUMI_TEMPLATE, module: "nodenext", moduleResolution: "nodenext" }, esm: false },
  { name: "nodenext, ES module", compilerOptions: { ...PULUMI_TEMPLATE, module: "nodenext", moduleResolution: "nodenext" }, esm: true },
  { name: "bundler", compilerOptions: { ...PULUMI_TEMPLATE, module: "esnext", moduleResolution: "bundler" }, esm: true },
];

/** The workspace's own bin, as a consumer's `npx` would find it. */
function workspaceBin(name: string): string {
  return path.join(e2eEnvironment().workspace, "node_modules", ".bin", name);
}

describe("the published types, in every consumer setup (packed package, skipLibCheck off)", function () {
  this.timeout(120_000);

  for (const setup of SETUPS) {
    it(`type-check a consumer program: ${setup.name}`, () => {
      const { workspace } = e2eEnvironment();
      const dir = path.join(workspace, `consumer-${setup.name.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}`);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ name: "consumer", private: true, ...(setup.esm ? { type: "module" } : {}) }),
      );
      const compilerOptions = { ...setup.compilerOptions, noEmit: true };
      assert.equal("skipLibCheck" in compilerOptions, false);
      assert.equal("esModuleInterop" in compilerOptions, false);
      fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["index.ts"] }, null, 2));
      fs.writeFileSync(path.join(dir, "index.ts"), PROGRAM);
      const res = spawnSync(workspaceBin("tsc"), ["-p", dir, "--listFilesOnly"], { encoding: "utf8" });
      const files = res.stdout.split("\n").filter(Boolean);
      const check = spawnSync(workspaceBin("tsc"), ["-p", dir, "--pretty", "false"], { encoding: "utf8" });
      assert.equal(check.status, 0, check.stdout + check.stderr);
      // What the program drags in: our declarations, Pulumi's and Node's; no dependency's of ours.
      const foreign = files.filter((f) => /node_modules\/(zod|re2js)\//.test(f));
      assert.deepEqual(foreign, [], "declaration files of our dependencies in a consumer's program");
      assert.ok(
        files.some((f) => f.includes("node_modules/pulumi-jdcloud-image/dist/")),
        "the packed package's declarations were used",
      );
    });
  }

  it("@arethetypeswrong/cli finds no problem with the packed tarball", () => {
    const tarball = packedTarball();
    const res = spawnSync(path.join(REPO_ROOT, "node_modules", ".bin", "attw"), [tarball, "--format", "json"], { encoding: "utf8" });
    const report = JSON.parse(res.stdout) as { problems?: Record<string, unknown> | unknown[] };
    const problems = Object.values(report.problems ?? {});
    assert.deepEqual(problems, [], JSON.stringify(report.problems).slice(0, 2000));
    assert.equal(res.status, 0, res.stderr);
  });

  it("publint reports nothing on the packed tarball", () => {
    const tarball = packedTarball();
    const res = spawnSync(path.join(REPO_ROOT, "node_modules", ".bin", "publint"), [tarball, "--strict"], { encoding: "utf8" });
    assert.equal(res.status, 0, res.stdout + res.stderr);
    assert.doesNotMatch(res.stdout, /Errors:|Warnings:|Suggestions:/, res.stdout);
  });
});

/** The tarball scripts/e2e.ts packed into the workspace. */
function packedTarball(): string {
  const { workspace } = e2eEnvironment();
  const name = fs.readdirSync(workspace).find((f) => /^pulumi-jdcloud-image-.*\.tgz$/.test(f));
  assert.ok(name, "the packed tarball is in the workspace");
  return path.join(workspace, name);
}
