// Bundles the provider plugin into bin/pulumi-resource-jdcloud-image: one self-contained
// executable file (our client, zod, grpc-js, the generated protocol code, the schema and the
// version inlined), so the bin/ folder works wherever `pulumi plugin install --file` copies it.
// Run by `npm run build`; plain JavaScript so it needs nothing compiled first.
import { build } from "esbuild";
import { chmodSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outfile = join(root, "bin", "pulumi-resource-jdcloud-image");
mkdirSync(dirname(outfile), { recursive: true });
await build({
  entryPoints: [join(root, "plugin", "main.ts")],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  banner: { js: "#!/usr/bin/env node" },
  legalComments: "eof",
  logLevel: "warning",
});
chmodSync(outfile, 0o755);
