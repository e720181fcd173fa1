/**
 * instanceDisks from Python, Go and YAML, through the plugin, equal to the TypeScript SDK's for the
 * same image, for images as the public `vm` API describes them (the emulator in its `vm` shape): a
 * localDisk image gets a local system disk, a cloudDisk image a cloud one, and one data disk per
 * data disk of the image, on its device. (examples/python, examples/go and examples/yaml export
 * `systemDisk` and `dataDisks`; languages.e2e.ts checks them for the coc-vm shape.)
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Emulator } from "../../emulator";
import { GO_MODULE } from "../../plugin/schemaGen";
import { clearImageCache, getImage, instanceDisks } from "../../sdk/nodejs";
import { ExampleStack, packedEmulator } from "./stack";
import { spawnSync } from "node:child_process";

const REPO = path.resolve(__dirname, "../..");
const REGION = "cn-north-1";

/** Points a copied example at this checkout's plugin, and (Python) its venv, (Go) its SDK. */
function prepare(stack: ExampleStack, language: string): void {
  const file = path.join(stack.dir, "Pulumi.yaml");
  fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/path: \.\.\/\.\.\/bin/, `path: ${path.join(REPO, "bin")}`));
  if (language === "python") {
    const venv = process.env["E2E_PYTHON_VENV"];
    if (!venv) throw new Error("run the end-to-end suite with `npm run test:e2e`, which prepares the Python environment");
    fs.symlinkSync(venv, path.join(stack.dir, "venv"), "dir");
  }
  if (language === "go") {
    const res = spawnSync("go", ["mod", "edit", `-replace=${GO_MODULE}=${path.join(REPO, "sdk")}`], { cwd: stack.dir, encoding: "utf8" });
    assert.equal(res.status, 0, res.stderr);
  }
}

for (const language of ["python", "go", "yaml"]) {
  describe(`instanceDisks of vm-shaped images from ${language}, through the plugin, with the real Pulumi CLI`, () => {
    let emulator: Emulator;
    let stack: ExampleStack;

    before(async () => {
      emulator = await packedEmulator().startEmulator({ imageShape: "vm" });
      stack = new ExampleStack(language, "vm-disks");
      prepare(stack, language);
      const { endpoint, accessKey, secretKey } = emulator;
      await stack.init({ endpoint, accessKey, secretKey, region: REGION });
    });
    after(async () => emulator?.close());

    for (const imageId of ["img-m5s0centos8", "img-h8ly274zg9"]) {
      it(`equal the TypeScript SDK's for ${imageId}`, async () => {
        const { endpoint, accessKey, secretKey } = emulator;
        clearImageCache();
        const image = await getImage({ imageId, regionId: REGION }, { endpoint, accessKey, secretKey });
        assert.ok(image.rootDeviceType, "the vm API's image says which system disk it takes");
        const expected = JSON.parse(JSON.stringify(instanceDisks(image, { systemDiskSizeGB: 80 }))) as Record<string, unknown>;
        await stack.ok(["config", "set", "imageId", imageId, "--stack", stack.stack]);
        await stack.ok(["up", "--yes", "--skip-preview", "--stack", stack.stack]);
        const outputs = await stack.outputs();
        assert.deepEqual(outputs["systemDisk"], expected["systemDisk"]);
        assert.deepEqual(outputs["dataDisks"] ?? [], expected["dataDisks"]);
        if (imageId === "img-m5s0centos8") assert.deepEqual(outputs["systemDisk"], { diskCategory: "local" });
        else assert.equal((outputs["dataDisks"] as Array<{ deviceName: string }>)[0]?.deviceName, "vdb");
      });
    }
  });
}
