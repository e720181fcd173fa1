/**
 * The README is true: every runnable block is tagged and exercised (here, or as written by the
 * e2e suite: the program, the CI steps, the emulator API and the example command), the fixture
 * file it shows is the one the tests load, and its table of built-in images is the emulator's.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { builtinImages } from "../emulator/builtinImages";
import { loadFixtures } from "../emulator/store";
import { IMAGE_FIELDS } from "../provider/jdcloud/image";
import { processState } from "../provider/jdcloud/state";
import { README, readmeBlocks, snippet } from "./support/readme";

const ROOT = path.resolve(__dirname, "..");
const SCRIPTS = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

describe("the README", () => {
  it("tags every runnable block (sh, ts, json) so a test runs it; usage and trees are text", () => {
    const blocks = readmeBlocks();
    for (const block of blocks) {
      if (["sh", "ts", "json", "yaml", "python", "go"].includes(block.lang))
        assert.ok(block.tag, `README.md:${block.line}: a ${block.lang} block without a snippet tag`);
      else assert.equal(block.lang, "text", `README.md:${block.line}: a block of language '${block.lang}'`);
    }
    const tags = blocks.flatMap((b) => (b.tag ? [b.tag] : []));
    assert.deepEqual(tags, [...new Set(tags)], "tags are unique");
  });

  it("shows commands that are this package's scripts, and the ones CI runs", () => {
    const commands = snippet("commands")
      .text.split("\n")
      .map((l) => l.replace(/#.*/, "").trim())
      .filter(Boolean);
    assert.deepEqual(commands, ["npm ci", "npm run demo", "npm test"]);
    assert.ok(SCRIPTS["demo"] && SCRIPTS["test"]);
    const ci = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
    for (const command of commands) assert.match(ci, new RegExp(`^${command}\\b`, "m"), `.ci/run does not run ${command}`);
    assert.ok(SCRIPTS["example"]);
    for (const tag of ["example", "example-languages"]) {
      for (const line of snippet(tag).text.trim().split("\n")) {
        assert.match(line, /^npm run example -- ([a-z-]+)$/);
        assert.ok(fs.existsSync(path.join(ROOT, "examples", line.split(" ").pop() ?? "", "Pulumi.yaml")), line);
      }
    }
  });

  it("shows YAML, Python and Go code exactly as the language examples have it (the e2e suite runs those)", () => {
    const excerpts: Record<string, readonly string[]> = {
      "plugin-path": ["examples/yaml/Pulumi.yaml", "examples/python/Pulumi.yaml", "examples/go/Pulumi.yaml"],
      "yaml-invoke": ["examples/yaml/Pulumi.yaml"],
      "python-invoke": ["examples/python/__main__.py"],
      "go-invoke": ["examples/go/program.go"],
      "python-disks": ["examples/python/__main__.py"],
      "go-disks": ["examples/go/program.go"],
      guard: ["examples/guard/index.ts"],
      instances: ["examples/instances/index.ts"],
    };
    for (const [tag, files] of Object.entries(excerpts)) {
      for (const file of files)
        assert.ok(fs.readFileSync(path.join(ROOT, file), "utf8").includes(snippet(tag).text), `${tag} is not in ${file}`);
    }
    // The YAML lock file is the release's: the install suite (test/install) compares them. The
    // TypeScript program and the emulator API snippet are run as written by the e2e suite.
    const shown = readmeBlocks().filter(
      (b) => ["yaml", "python", "go", "ts"].includes(b.lang) && !["yaml-lock", "program", "emulator-api"].includes(b.tag ?? ""),
    );
    assert.deepEqual(
      shown.map((b) => b.tag).sort(),
      Object.keys(excerpts).sort(),
      "every YAML, Python, Go and TypeScript block is an excerpt checked here",
    );
  });

  it("shows the fixture file the tests load, complete with every Image field", () => {
    const file = path.join(ROOT, "examples", "emulator-fixtures.json");
    assert.equal(snippet("fixture").text, fs.readFileSync(file, "utf8"));
    const fixtures = loadFixtures(file);
    const first = fixtures.images[0] ?? {};
    for (const field of IMAGE_FIELDS) assert.ok(field in first, `the fixture's first image has no ${field}`);
    assert.ok((fixtures.faults ?? []).length > 0 && fixtures.latencyMs !== undefined);
  });

  it("names the package's version wherever it installs the SDKs or the plugin", () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    const text = fs.readFileSync(README, "utf8");
    const patterns = [
      /pulumi plugin install resource jdcloud-image (\S+) --/g,
      /resource-jdcloud-image-v(\d[^\s/`-]*)/g,
      /pip install pulumi-jdcloud-image==(\S+)/g,
      /\/sdk@v(\S+)/g,
      /npm install pulumi-jdcloud-image@(\S+)/g,
      /^version: (\S+)$/gm,
    ];
    for (const pattern of patterns) {
      const named = [...text.matchAll(pattern)].map((m) => m[1]);
      assert.ok(named.length > 0, `${String(pattern)} is in the README`);
      assert.deepEqual([...new Set(named)], [version], String(pattern));
    }
  });

  it("lists every piece of process state the lookup path registers", () => {
    // Loading the SDK registers every piece (each module registers its own at load).
    require("../sdk/nodejs");
    const text = fs.readFileSync(README, "utf8");
    const missing = processState()
      .map((piece) => piece.name)
      .filter((name) => !text.includes(`| ${name} |`));
    assert.deepEqual(missing, [], "rows missing from the README's process-state table");
  });

  it("lists the emulator's built-in images as the emulator serves them", () => {
    const text = fs.readFileSync(README, "utf8");
    const rows = [...text.matchAll(/^\| `(img-[a-z0-9]+)` \| ([^|]+) \| ([^|]+) \| (\w+) \| (\w+) \| (\w+) \| (\d+) \| (\d+) \|$/gm)];
    const byId = new Map<string, string[]>();
    for (const image of builtinImages()) {
      const row = [
        image.regionId,
        image.platform,
        image.osType,
        image.status,
        image.imageSource ?? "",
        String(image.systemDiskSizeGB),
        String(image.snapshots?.length ?? 0),
      ];
      const known = byId.get(image.imageId);
      if (known) known[0] = `${known[0]}, ${image.regionId}`;
      else byId.set(image.imageId, row);
    }
    assert.deepEqual(
      rows.map((m) => [m[1], ...m.slice(2).map((c) => (c ?? "").trim())]),
      [...byId.entries()].map(([id, row]) => [id, ...row]),
    );
  });
});
