/**
 * guardImages over Pulumi's runtime mocks with the emulator over real HTTP, each program in a
 * process of its own (test/sdk/guardProgram.ts: a stack transformation lasts as long as its
 * process): configured paths in every spelling Pulumi's property paths use, and exclusions.
 */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import type { GuardImagesOptions } from "../../sdk/nodejs";
import { withEmulator } from "../support/world";

const PROGRAM = path.join(__dirname, "guardProgram.ts");

interface Outcome {
  readonly registered: Record<string, Record<string, unknown>>;
  readonly errors: readonly string[];
}

describe("guardImages in a program (runtime mocks, the emulator over HTTP)", function () {
  this.timeout(60_000);
  const world = withEmulator();

  async function run(
    options: GuardImagesOptions,
    resources: Array<{ type: string; name: string; props: Record<string, unknown> }>,
  ): Promise<Outcome> {
    const spec = JSON.stringify({ options: { ...options, settings: world.opts() }, resources });
    // A program that failed exits non-zero; its outcome is on stdout either way.
    const { stdout } = await promisify(execFile)(process.execPath, ["-r", "ts-node/register/transpile-only", PROGRAM, spec], {
      cwd: path.resolve(__dirname, "../.."),
      encoding: "utf8",
    }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? "" }));
    return JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as Outcome;
  }

  const describedImages = (): string[] =>
    world.emulator.requests
      .map((r) => r.imageId)
      .filter((id): id is string => id !== undefined)
      .sort();

  it("follows configured paths written as Pulumi writes them ('[*]', '[N]') or as '[]', naming the element in the sentence", async () => {
    const { registered, errors } = await run(
      {
        paths: [
          { type: "example:index:Launch", path: "launch.specs[*].image" },
          { type: "example:index:Pool", path: "members[0].boot.image" },
          { type: "example:index:Fleet", path: "groups[][].imageRef" },
        ],
      },
      [
        {
          type: "example:index:Launch",
          name: "launch",
          props: { launch: { specs: [{ image: "img-h8ly274zg9" }, { image: "img-nosuch0001" }] } },
        },
        // Only the first member is named: the second's ID is not this path's.
        {
          type: "example:index:Pool",
          name: "pool",
          props: { members: [{ boot: { image: "img-m5s0centos8" } }, { boot: { image: "img-nosuch0002" } }] },
        },
        { type: "example:index:Pool", name: "pool-bad", props: { members: [{ boot: { image: "ami-12345" } }] } },
        {
          type: "example:index:Fleet",
          name: "fleet",
          props: { groups: [[{ imageRef: "img-ubnt2204lts" }], [{ imageRef: "img-h8ly274zg9" }, { imageRef: "img-nosuch0003" }]] },
        },
      ],
    );
    assert.deepEqual(Object.keys(registered).sort(), ["pool", "proj-stack"]);
    assert.deepEqual(
      registered["pool"],
      { members: [{ boot: { image: "img-m5s0centos8" } }, { boot: { image: "img-nosuch0002" } }] },
      "inputs unchanged",
    );
    // Each sentence as the engine would print it, without the SDK's prefix and the request ID.
    const sentences = errors
      .map((e) => e.replace(/^error serializing property "[^"]+": /, "").replace(/ \(JD Cloud request \w+\)/, ""))
      .sort();
    assert.equal(sentences.length, 3, sentences.join("\n"));
    assert.match(
      sentences[0] ?? "",
      /^Resource 'fleet' \(example:index:Fleet\), groups\[1\]\[1\]\.imageRef: JD Cloud has no image 'img-nosuch0003' in region cn-north-1: /,
    );
    assert.match(
      sentences[1] ?? "",
      /^Resource 'launch' \(example:index:Launch\), launch\.specs\[1\]\.image: JD Cloud has no image 'img-nosuch0001' in region cn-north-1: /,
    );
    assert.match(
      sentences[2] ?? "",
      /^Resource 'pool-bad' \(example:index:Pool\), members\[0\]\.boot\.image: Invalid imageId .*'ami-12345'/,
    );
    assert.ok(!describedImages().includes("img-nosuch0002"), "a member the path does not name is not looked up");
  });

  it("removes a default path however the exclusion spells it", async () => {
    const { registered, errors } = await run({ exclude: [{ type: "*", path: "instanceSpecs[*].imageId" }] }, [
      { type: "example:index:Request", name: "batch", props: { instanceSpecs: [{ imageId: "img-nosuch0004" }] } },
      { type: "example:index:Vm", name: "vm", props: { imageId: "img-nosuch0005" } },
    ]);
    assert.ok(registered["batch"], "the excluded path is not checked");
    assert.equal(registered["vm"], undefined);
    assert.equal(errors.length, 1, errors.join("\n"));
    assert.match(errors[0] ?? "", /Resource 'vm' \(example:index:Vm\), imageId: JD Cloud has no image 'img-nosuch0005'/);
    assert.deepEqual(describedImages(), ["img-nosuch0005"]);
  });
});
