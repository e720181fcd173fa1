/**
 * The provider plugin from every language: examples/yaml, examples/python (the generated Python
 * SDK) and examples/go (the generated Go SDK), each run with this checkout's plugin (`bin/`, as
 * `npm run build` bundles it) and SDKs (`plugins: providers: path`, pip install, a Go `replace`)
 * against the emulator, with the secret key set by `pulumi config set --secret`. YAML runs on the
 * official YAML host; Python and Go inline through their SDK's Automation API, and also as file
 * programs where their official hosts are found. How users install them — from the release, with
 * nothing of this checkout — is the install suite's (test/install).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Emulator } from "../../emulator";
import { GENERATED_LANGUAGES, generateSdks, listFiles } from "../../scripts/sdks";
import { clearImageCache, getImage, instanceDisks } from "../../sdk/nodejs";
import {
  ExampleStack,
  hasStackTrace,
  packedEmulator,
  assertDebugLines,
  modeTitle,
  modesFor,
  useCheckoutGoSdk,
  useCheckoutPlugin,
  useCheckoutPythonSdk,
} from "./stack";

const REPO = path.resolve(__dirname, "../..");
const REGION = "cn-north-1";
const MISSING = "img-nosuch0001";

interface Language {
  readonly example: string;
  /** Whether the example's image ID, set as a secret, reaches the invoke as a secret (YAML's config does; Python's and Go's `config.get` do not). */
  readonly secretConfigFlows?: boolean;
  /** Makes the copied example runnable: its SDK installed or linked. */
  prepare(dir: string): void;
  /** How the snapshots output looks once deployed. */
  checkSnapshots(snapshots: unknown): void;
}

const snapshotLines = (snapshots: unknown): void =>
  assert.deepEqual(snapshots, [
    "snapshot-sys0h8ly27 (system_disk, 60 GB)",
    "snapshot-dat1h8ly27 (data_disk, 200 GB)",
    "snapshot-log2h8ly27 (data_disk, 100 GB)",
  ]);

const LANGUAGES: readonly Language[] = [
  {
    example: "yaml",
    secretConfigFlows: true,
    prepare: () => undefined,
    checkSnapshots: (snapshots) =>
      assert.deepEqual(
        (snapshots as Array<Record<string, unknown>>).map((s) => [s["diskSnapshotId"], s["diskCategory"], s["diskSize"]]),
        [
          ["snapshot-sys0h8ly27", "system_disk", 60],
          ["snapshot-dat1h8ly27", "data_disk", 200],
          ["snapshot-log2h8ly27", "data_disk", 100],
        ],
      ),
  },
  {
    example: "python",
    prepare: useCheckoutPythonSdk,
    checkSnapshots: snapshotLines,
  },
  {
    example: "go",
    prepare: useCheckoutGoSdk,
    checkSnapshots: snapshotLines,
  },
];

for (const language of LANGUAGES) {
  for (const mode of modesFor(language.example)) {
    describe(`examples/${language.example} with the provider plugin and the real Pulumi CLI, ${modeTitle(mode)}`, () => {
      let emulator: Emulator;
      let stack: ExampleStack;

      before(async () => {
        emulator = await packedEmulator().startEmulator({});
        stack = new ExampleStack(language.example, "e2e", undefined, undefined, mode);
        useCheckoutPlugin(stack.dir);
        language.prepare(stack.dir);
        await stack.init({ endpoint: emulator.endpoint, accessKey: emulator.accessKey, secretKey: emulator.secretKey, region: REGION });
      });
      after(async () => {
        await emulator?.close();
      });

      it("preview shows the image's values", async () => {
        const output = await stack.ok(["preview", "--stack", stack.stack]);
        assert.match(output, /platform\s*: "Ubuntu"/);
        assert.match(output, /systemDiskSizeGB\s*: 60/);
        assert.ok(emulator.requests.some((r) => r.imageId === "img-h8ly274zg9" && r.accessKey === emulator.accessKey));
      });

      it("preview --debug shows where settings came from and JD Cloud's request IDs, never the secret key", async () => {
        const output = await stack.ok(["preview", "--debug", "--stack", stack.stack]);
        assertDebugLines(output, emulator.secretKey, "img-h8ly274zg9");
      });

      it("up exports the platform, system disk size and snapshots", async () => {
        await stack.ok(["up", "--yes", "--skip-preview", "--stack", stack.stack]);
        const outputs = await stack.outputs();
        assert.equal(outputs["platform"], "Ubuntu");
        assert.equal(outputs["systemDiskSizeGB"], 60);
        language.checkSnapshots(outputs["snapshots"]);
      });

      it("up exports the plugin's instanceDisks of the image, equal to the TypeScript SDK's for the same image", async () => {
        const { endpoint, accessKey, secretKey } = emulator;
        clearImageCache();
        const image = await getImage({ imageId: "img-h8ly274zg9", regionId: REGION }, { endpoint, accessKey, secretKey });
        const expected = JSON.parse(JSON.stringify(instanceDisks(image, { systemDiskSizeGB: 80 }))) as Record<string, unknown>;
        const outputs = await stack.outputs();
        assert.deepEqual(outputs["systemDisk"], expected["systemDisk"]);
        assert.deepEqual(outputs["dataDisks"], expected["dataDisks"]);
      });

      it("a missing image fails the preview with our sentence naming it", async () => {
        await stack.ok(["config", "set", "imageId", MISSING, "--stack", stack.stack]);
        const { code, output } = await stack.run(["preview", "--stack", stack.stack]);
        await stack.ok(["config", "rm", "imageId", "--stack", stack.stack]);
        assert.notEqual(code, 0);
        assert.match(
          output,
          new RegExp(
            `JD Cloud has no image '${MISSING}' in region ${REGION} \\(JD Cloud request [0-9a-f]{32}\\): check the image ID, [^\\n]*account\\.`,
          ),
        );
        assert.ok(!hasStackTrace(output), "no JavaScript stack trace from the plugin");
      });

      if (language.secretConfigFlows) {
        it("a secret image ID gives secret outputs", async () => {
          await stack.ok(["config", "set", "--secret", "imageId", "img-h8ly274zg9", "--stack", stack.stack]);
          await stack.ok(["up", "--yes", "--skip-preview", "--stack", stack.stack]);
          const shown = JSON.parse(await stack.ok(["stack", "output", "--json", "--stack", stack.stack])) as Record<string, unknown>;
          await stack.ok(["config", "rm", "imageId", "--stack", stack.stack]);
          assert.equal(shown["platform"], "[secret]");
          assert.equal(shown["systemDiskSizeGB"], "[secret]");
          assert.equal((await stack.outputs())["platform"], "Ubuntu");
        });
      }

      it("keeps the secret key out of state, stack files and output; the engine's -v=9 log has it only where it logs provider config", async () => {
        const { output } = await stack.run(["preview", "--stack", stack.stack, "-v=9", "--logtostderr"]);
        const leaks = output.split("\n").filter((line) => line.includes(emulator.secretKey));
        const notConfig = leaks.filter(
          (line) =>
            !/\b(CheckConfig|DiffConfig|Configure)\(|Planner decided not to update 'urn:[^']*pulumi:providers:jdcloud-image/.test(line),
        );
        assert.deepEqual(notConfig, [], "the secret key in a log line other than the engine's own provider-config lines");
        stack.transcript.pop();
        const exported = JSON.stringify(await stack.resources());
        assert.match(exported, /"secretKey":\{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","ciphertext":/);
        assert.ok(!stack.storedText().includes(emulator.secretKey), "secret key in state or stack files");
        assert.ok(!stack.transcript.join("\n").includes(emulator.secretKey), "secret key in CLI output");
      });
    });
  }
}

describe("the committed Python and Go SDKs", () => {
  it("are what Pulumi's code generators (pkg/codegen, via scripts/gensdk) make of the committed schema (run `npm run gen-sdk`)", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "jdcloud-image-sdks-"));
    try {
      generateSdks(out);
      for (const language of GENERATED_LANGUAGES) {
        const committed = path.join(REPO, "sdk", language);
        const fresh = path.join(out, language);
        const files = listFiles(fresh);
        assert.deepEqual(listFiles(committed), files, `files of sdk/${language}`);
        for (const file of files) {
          assert.equal(
            fs.readFileSync(path.join(committed, file), "utf8"),
            fs.readFileSync(path.join(fresh, file), "utf8"),
            `sdk/${language}/${file}`,
          );
        }
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
