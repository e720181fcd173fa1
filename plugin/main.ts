/**
 * Entry point of `bin/pulumi-resource-jdcloud-image`, bundled by scripts/bundle-plugin.mjs with the
 * package version and schema inlined, so the `bin/` folder works on its own wherever it is copied
 * (`pulumi plugin install --file` copies it).
 */
import { version } from "../package.json";
import schema from "./schema.json";
import { setDebugSink } from "../provider/jdcloud/log";
import { engineAddress, engineDebugSink } from "./engineLog";
import { serve } from "./server";

const engine = engineAddress(process.argv.slice(2));
if (engine) setDebugSink(engineDebugSink(engine));

void serve(version, JSON.stringify(schema)).catch((err: unknown) => {
  process.stderr.write(`pulumi-resource-jdcloud-image could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
