/**
 * What users see of a common mistake, in every language, exactly: a misspelt key fails the preview
 * with our one sentence, naming the key and the one meant in the caller's spelling, and no stack
 * trace of ours — inside exactly the framing each language's Pulumi SDK and the engine add, which the
 * README documents ("What each language prints").
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { CHECKOUT_PLUGIN_DIR, ExampleStack, e2eEnvironment, hasStackTrace, useCheckoutPythonSdk, useEmulator } from "./stack";

const IMAGE = "img-h8ly274zg9";

/** A project of the workspace from files (its Pulumi.yaml among them). */
function project(name: string, files: Record<string, string>): string {
  const dir = path.join(e2eEnvironment().workspace, `${name}-source`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

/** The lines of `output` that hold `text`, trimmed. */
function linesWith(output: string, text: string): string[] {
  return output
    .split("\n")
    .filter((l) => l.includes(text))
    .map((l) => l.trim());
}

/** The live line and the Diagnostics line, each as the Automation API's Node.js server prints them inline (twice). */
function twice([live, diagnostic]: [string, string]): string[] {
  return [live, live, diagnostic, diagnostic];
}

interface Mistake {
  readonly language: string;
  readonly files: () => Record<string, string>;
  /** Makes the copied project runnable (a Python venv). */
  readonly prepare?: (dir: string) => void;
  /** Our sentence, as this language's caller spells the key. */
  readonly sentence: string;
  /** Every line of the output that holds the sentence, exactly. */
  readonly lines: (sentence: string) => string[];
}

const TS_PROJECT = "name: mistake-ts\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n";
const TSCONFIG = JSON.stringify({
  compilerOptions: { strict: true, target: "ES2022", module: "commonjs", moduleResolution: "node" },
  files: ["index.ts"],
});

const MISTAKES: readonly Mistake[] = [
  {
    language: "TypeScript",
    files: () => ({
      "Pulumi.yaml": TS_PROJECT,
      "tsconfig.json": TSCONFIG,
      // A cast past the compiler, as a value from config or JSON would come.
      "index.ts": `import { getImageOutput } from "pulumi-jdcloud-image";\nconst args = JSON.parse('{"imageId": "${IMAGE}", "regionID": "cn-north-1"}');\nexport const platform = getImageOutput(args).platform;\n`,
    }),
    sentence: `Invalid regionID for image '${IMAGE}': there is no such input; did you mean 'regionId'?`,
    // Inline, @pulumi/pulumi's Automation API server reports the program's failure twice: as the
    // rejection it logs, and as the run's error (a file program on the Node.js host prints it once).
    lines: (s) => twice([`+  pulumi:pulumi:Stack mistake-ts-e2e create error: ${s}`, `error: ${s}`]),
  },
  {
    language: "JavaScript",
    files: () => ({
      "Pulumi.yaml": "name: mistake-js\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n",
      "index.js": `const { getImageOutput } = require("pulumi-jdcloud-image");\nexports.platform = getImageOutput({ imageId: "${IMAGE}", require: { osType: "Linux" } }).platform;\n`,
    }),
    sentence: `Invalid require.osType for image '${IMAGE}': is 'Linux', not one of 'linux', 'windows'; did you mean 'linux'?`,
    lines: (s) => twice([`+  pulumi:pulumi:Stack mistake-js-e2e create error: ${s}`, `error: ${s}`]),
  },
  {
    language: "JavaScript (ImageSearch)",
    files: () => ({
      "Pulumi.yaml": "name: mistake-search\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n",
      "index.js": `const { ImageSearch } = require("pulumi-jdcloud-image");\nexports.pinned = new ImageSearch("latest", { imageSource: "public", platform: "Ubuntu" }).imageId;\n`,
    }),
    sentence: "ImageSearch 'latest' has no input 'imageSource'; search criteria go in criteria: write criteria: { imageSource: … }",
    // A check failure: the engine names the resource before it.
    lines: (s) => {
      const failure = `pulumi-nodejs:dynamic/jdcloud:ImageSearch resource 'latest' has a problem: ${s}`;
      return [`pulumi-nodejs:dynamic/jdcloud:ImageSearch latest  error: ${failure}`, `error: ${failure}`];
    },
  },
  {
    language: "Python",
    files: () => ({
      "Pulumi.yaml": `name: mistake-py\nruntime:\n  name: python\n  options:\n    virtualenv: venv\nplugins:\n  providers:\n    - name: jdcloud-image\n      path: ${CHECKOUT_PLUGIN_DIR}\n`,
      "__main__.py": `import pulumi\nimport pulumi_jdcloud_image as jdcloud_image\n\nimage = jdcloud_image.get_image_output(image_id="${IMAGE}", require={"os_typ": ["linux"]})\npulumi.export("platform", image.platform)\n`,
    }),
    prepare: useCheckoutPythonSdk,
    sentence: `Invalid require.os_typ for image '${IMAGE}': there is no such input; did you mean 'os_type'?`,
    lines: (s) => {
      const invoke = `invoke of jdcloud-image:index:getImage failed: invocation of jdcloud-image:index:getImage returned an error: ${s}`;
      return [
        `+  pulumi:pulumi:Stack mistake-py-e2e create error: python inline source runtime error: ${invoke}`,
        `+  pulumi:pulumi:Stack mistake-py-e2e create error: an unhandled error occurred: python inline source runtime error: ${invoke}`,
        `error: python inline source runtime error: ${invoke}`,
        `Exception: ${invoke}`,
        `error: an unhandled error occurred: python inline source runtime error: ${invoke}`,
        `Exception: ${invoke}`,
      ];
    },
  },
  {
    language: "YAML",
    files: () => ({
      "Pulumi.yaml": [
        "name: mistake-yaml",
        "runtime: yaml",
        "plugins:",
        "  providers:",
        "    - name: jdcloud-image",
        `      path: ${CHECKOUT_PLUGIN_DIR}`,
        "variables:",
        "  image:",
        "    fn::invoke:",
        "      function: jdcloud-image:index:getImage",
        "      arguments:",
        `        imageId: ${IMAGE}`,
        "        require:",
        "          osTyp: [linux]",
        "outputs:",
        "  platform: ${image.platform}",
        "",
      ].join("\n"),
    }),
    sentence: `Invalid require.osTyp for image '${IMAGE}': there is no such input; did you mean 'osType'?`,
    lines: (s) => {
      const error = `rpc error: code = Unknown desc = invocation of jdcloud-image:index:getImage returned an error: ${s}`;
      return [`+  pulumi:pulumi:Stack mistake-yaml-e2e create error: ${error}`, `error: ${error}`];
    },
  },
];

describe("a misspelt key, in every language, with the real Pulumi CLI: exactly what the user sees", () => {
  const suite = useEmulator();

  for (const mistake of MISTAKES) {
    it(`${mistake.language}: our sentence, naming the key and the one meant, in the framing of ${mistake.language}'s SDK`, async () => {
      const source = project(`mistake-${mistake.language.toLowerCase()}`, mistake.files());
      const stack = new ExampleStack(`mistake-${mistake.language.toLowerCase()}`, "e2e", undefined, source);
      mistake.prepare?.(stack.dir);
      await stack.init(suite.settings());
      const { code, output } = await stack.run(["preview", "--stack", stack.stack]);
      assert.notEqual(code, 0, output);
      assert.deepEqual(linesWith(output, mistake.sentence), mistake.lines(mistake.sentence), output);
      assert.ok(!hasStackTrace(output), output);
      assert.ok(!output.includes(suite.emulator.secretKey));
      assert.equal(suite.emulator.requests.filter((r) => r.imageId === IMAGE).length, 0, "nothing was sent for refused input");
    });
  }
});
