/**
 * npm run schema — writes plugin/schema.json, the Pulumi package schema, generated from the zod
 * schemas and the TSDoc (plugin/schemaGen.ts), at the version in package.json.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { schemaText } from "../plugin/schemaGen";
import { REPO_ROOT } from "./toolchain";

const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
const file = path.join(REPO_ROOT, "plugin", "schema.json");
fs.writeFileSync(file, schemaText(version));
console.log(`wrote ${path.relative(REPO_ROOT, file)} (version ${version})`);
