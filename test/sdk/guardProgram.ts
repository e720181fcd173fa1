/**
 * A program under Pulumi's runtime mocks, in a process of its own (a stack transformation lasts as
 * long as the process): `guardImages(options)`, then a resource per entry of `resources`. Reads
 * `{ options, resources: [{ type, name, props }] }` as JSON from argv[2] and prints, as one JSON
 * line, what the mocks registered (each resource's inputs, by name) and the message of each error
 * the program failed with.
 */
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { guardImages, type GuardImagesOptions } from "../../sdk/nodejs";
import { installMocks, type Registered } from "../support/pulumi";

interface Case {
  readonly options: GuardImagesOptions;
  readonly resources: ReadonlyArray<{ readonly type: string; readonly name: string; readonly props: Record<string, unknown> }>;
}

/** A resource of any type, as a provider's SDK declares one. */
class Resource extends pulumi.CustomResource {
  constructor(type: string, name: string, props: Record<string, unknown>) {
    super(type, name, props);
  }
}

const registered: Registered[] = [];
const errors: string[] = [];
const failed = (err: unknown): void => {
  const message = err instanceof Error ? err.message : String(err);
  if (!errors.includes(message)) errors.push(message);
};
process.on("unhandledRejection", failed);
// Printed when the event loop is done: a resource whose registration failed never resolves its URN.
process.on("exit", () =>
  fs.writeSync(1, `${JSON.stringify({ registered: Object.fromEntries(registered.map((r) => [r.name, r.inputs])), errors })}\n`),
);

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? "{}") as Case;
  await installMocks(true, registered);
  await pulumi.runtime.runInPulumiStack(async () => {
    guardImages(spec.options);
    for (const r of spec.resources) new Resource(r.type, r.name, r.props);
    return Promise.resolve({});
  });
}

main().catch(failed);
