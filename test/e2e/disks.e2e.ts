/**
 * instanceDisks from Python, Go and YAML, through the plugin, equal to the TypeScript SDK's for the
 * same image, for images as the public `vm` API describes them (the emulator in its `vm` shape): a
 * localDisk image gets a local system disk, a cloudDisk image a cloud one, and one data disk per
 * data disk of the image, on its device. (examples/python, examples/go and examples/yaml export
 * `systemDisk` and `dataDisks`; languages.e2e.ts checks them for the coc-vm shape.)
 */
import { strict as assert } from "node:assert";
import type { Emulator } from "../../emulator";
import { clearImageCache, getImage, instanceDisks } from "../../sdk/nodejs";
import { ExampleStack, packedEmulator, useCheckoutGoSdk, useCheckoutPlugin, useCheckoutPythonSdk } from "./stack";
const REGION = "cn-north-1";

/** Points a copied example at this checkout's plugin, and (Python) its venv, (Go) its SDK. */
function prepare(stack: ExampleStack, language: string): void {
  useCheckoutPlugin(stack.dir);
  if (language === "python") useCheckoutPythonSdk(stack.dir);
  if (language === "go") useCheckoutGoSdk(stack.dir);
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
