/**
 * npm run schema — writes plugin/schema.json, the Pulumi package schema, generated from the zod
 * schemas and the TSDoc (plugin/schemaGen.ts), at the version in package.json, naming the release
 * page of package.json's repository as where the engine downloads the plugin.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { packageManifest, schemaText } from "../plugin/schemaGen";
import { REPO_ROOT } from "./toolchain";

const manifest = packageManifest();
const file = path.join(REPO_ROOT, "plugin", "schema.json");
fs.writeFileSync(file, schemaText(manifest));
console.log(`wrote ${path.relative(REPO_ROOT, file)} (version ${manifest.version})`);
