/**
 * Generates the Pulumi package schema (`plugin/schema.json`) from the code itself: each property's
 * type from the zod schema that validates it, whether it is required and its description from the
 * TypeScript interface a user hovers over (its TSDoc). `npm run schema` writes it; a test fails when
 * the committed file and a fresh generation differ, so neither can drift from the code.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { z } from "zod";
import { FindImageCriteriaSchema, ImageCriteriaSchema } from "../provider/searchSchemas";
import {
  GetImageArgsSchema,
  ImageCloudDiskSchema,
  ImageDiskSchema,
  ImageLocalDiskSchema,
  ImageRequirementsSchema,
  ImageSchema,
  SnapshotSchema,
} from "../provider/jdcloud/schemas";
import {
  DataCloudDiskSpecSchema,
  DataDiskSpecSchema,
  InstanceDisksArgsSchema,
  InstanceDisksSchema,
  SystemCloudDiskSpecSchema,
  SystemDiskSpecSchema,
  TerraformDiskSchema,
  TerraformInstanceDisksSchema,
} from "../provider/disksSchemas";
import { SECRET_SETTINGS } from "../provider/jdcloud/settings";
import { LookupOptionsSchema } from "../provider/jdcloud/settingsSchema";
import { PACKAGE_NAME } from "./functions";

const ROOT = path.resolve(__dirname, "..");

/** The Go module of the generated Go SDK (its `go.mod` is `sdk/go.mod`). */
export const GO_MODULE = "github.com/pulumi-jdcloud-image/pulumi-jdcloud-image/sdk";
/** The import path of the Go SDK's package. */
export const GO_IMPORT_PATH = `${GO_MODULE}/go/jdcloudimage`;
/** The Python SDK's distribution and import name. */
export const PYTHON_PACKAGE = "pulumi_jdcloud_image";

/** What the schema takes from `package.json`: the version, and the repository whose releases carry the plugin. */
export interface PackageManifest {
  /** The package's version: the schema's, the SDKs' and the plugin's. */
  readonly version: string;
  /** The repository, in any form npm accepts: `git+https://github.com/OWNER/NAME.git`, `github:OWNER/NAME`, `OWNER/NAME`, or `{ url }`. */
  readonly repository?: string | { readonly url?: string };
}

/** The GitHub repository `package.json` names, as `https://github.com/OWNER/NAME`. */
export function githubRepository(repository: PackageManifest["repository"]): string {
  const url = typeof repository === "string" ? repository : repository?.url;
  const match =
    url === undefined
      ? null
      : (/^(?:git\+)?(?:https?:\/\/|git:\/\/|ssh:\/\/git@|git@)github\.com[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(url) ??
        /^(?:github:)?([\w.-]+)\/([\w.-]+?)(?:\.git)?$/.exec(url));
  if (!match) {
    throw new Error(
      `package.json's repository (${JSON.stringify(url ?? null)}) names no GitHub repository; set it to "git+https://github.com/OWNER/NAME.git", whose releases carry the plugin`,
    );
  }
  return `https://github.com/${match[1]}/${match[2]}`;
}

/**
 * The release page the engine downloads the plugin from, derived from `package.json`'s
 * `repository` (a GitHub repository): `https://github.com/OWNER/NAME/releases/download/v${VERSION}/`.
 * The engine fills in `${VERSION}` and appends `pulumi-resource-jdcloud-image-vX.Y.Z-OS-ARCH.tar.gz`.
 */
export function pluginDownloadURL(repository: PackageManifest["repository"]): string {
  return `${githubRepository(repository)}/releases/download/v\${VERSION}/`;
}

/** A property in Pulumi's schema. */
interface PropertySpec {
  type?: string;
  items?: PropertySpec;
  $ref?: string;
  description?: string;
  secret?: boolean;
}

/** An object in Pulumi's schema: a type, a function's inputs or outputs. */
interface ObjectSpec {
  type?: "object";
  description?: string;
  properties: Record<string, PropertySpec>;
  required?: string[];
}

/** One interface member as the TSDoc shows it. */
interface Member {
  readonly optional: boolean;
  readonly description: string;
}

/** Reads the members of exported interfaces (own and inherited) and the TSDoc of exported functions. */
class DocReader {
  private readonly program: ts.Program;
  private readonly checker: ts.TypeChecker;

  constructor(files: readonly string[]) {
    this.program = ts.createProgram(
      files.map((f) => path.join(ROOT, f)),
      { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, skipLibCheck: true, noEmit: true },
    );
    this.checker = this.program.getTypeChecker();
  }

  private symbol(file: string, name: string): ts.Symbol {
    const source = this.program.getSourceFile(path.join(ROOT, file));
    const moduleSymbol = source && this.checker.getSymbolAtLocation(source);
    const found = moduleSymbol && this.checker.getExportsOfModule(moduleSymbol).find((s) => s.name === name);
    if (!found) throw new Error(`schema: ${file} exports no ${name}`);
    return found.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(found) : found;
  }

  /** The members of an interface, by name, in declaration order. */
  members(file: string, name: string): Map<string, Member> {
    const type = this.checker.getDeclaredTypeOfSymbol(this.symbol(file, name));
    const out = new Map<string, Member>();
    for (const prop of this.checker.getPropertiesOfType(type)) {
      out.set(prop.name, {
        optional: (prop.flags & ts.SymbolFlags.Optional) !== 0,
        description: docText(ts.displayPartsToString(prop.getDocumentationComment(this.checker))),
      });
    }
    return out;
  }

  /** The TSDoc summary of an exported function or interface (its text before any tag). */
  summary(file: string, name: string): string {
    return docText(ts.displayPartsToString(this.symbol(file, name).getDocumentationComment(this.checker)));
  }
}

/** TSDoc text as plain Markdown: `{@link X}` becomes `X`. */
function docText(text: string): string {
  return text.replace(/\{@link\s+([^}\s|]+)(?:\s*\|\s*([^}]+))?\}/g, (_m, target: string, label?: string) => label ?? target).trim();
}

/** Peels zod's wrappers (optional, nullable, default, transform pipes) down to the validated type. */
function core(schema: z.ZodType): z.ZodType {
  let node = schema;
  for (;;) {
    const def = node._zod.def as { type: string; innerType?: z.ZodType; in?: z.ZodType };
    if ((def.type === "optional" || def.type === "nullable" || def.type === "default" || def.type === "readonly") && def.innerType) {
      node = def.innerType;
    } else if (def.type === "pipe" && def.in) {
      node = def.in;
    } else {
      return node;
    }
  }
}

/**
 * A zod type as a schema property. A value-or-list union (`OneOrMore`) becomes a list: every
 * language can write a list, and a one-element list means the same as the value. Enumerations stay
 * strings (their values are in the description), as JD Cloud adds values the schema cannot know.
 */
function propertyOf(schema: z.ZodType, refs: ReadonlyMap<z.ZodType, string>): PropertySpec {
  const node = core(schema);
  const ref = refs.get(node);
  if (ref) return { $ref: `#/types/${ref}` };
  const def = node._zod.def as { type: string; element?: z.ZodType; options?: readonly z.ZodType[] };
  switch (def.type) {
    case "array":
      return { type: "array", items: propertyOf(def.element as z.ZodType, refs) };
    case "union": {
      const list = def.options?.find((o) => core(o)._zod.def.type === "array");
      if (!list) throw new Error("schema: a union that is not a value-or-list");
      return propertyOf(list, refs);
    }
    case "enum":
    case "literal":
    case "string":
      return { type: "string" };
    case "boolean":
      return { type: "boolean" };
    case "number":
      return { type: (z.toJSONSchema(node) as { type?: string }).type === "integer" ? "integer" : "number" };
    default:
      throw new Error(`schema: no schema type for zod '${def.type}'`);
  }
}

/** An object spec: types from the zod object, required-ness and descriptions from the interface. */
function objectOf(
  schema: z.ZodObject,
  members: Map<string, Member>,
  refs: ReadonlyMap<z.ZodType, string>,
  secrets: readonly string[] = [],
): ObjectSpec {
  const properties: Record<string, PropertySpec> = {};
  const required: string[] = [];
  for (const [name, member] of members) {
    const field = schema.shape[name] as z.ZodType | undefined;
    if (!field) throw new Error(`schema: the interface has '${name}' but the zod schema does not`);
    properties[name] = {
      ...propertyOf(field, refs),
      ...(member.description ? { description: member.description } : {}),
      ...(secrets.includes(name) ? { secret: true } : {}),
    };
    if (!member.optional) required.push(name);
  }
  for (const name of Object.keys(schema.shape)) {
    if (!members.has(name)) throw new Error(`schema: the zod schema has '${name}' but the interface does not`);
  }
  return { properties, ...(required.length ? { required } : {}) };
}

/** What getImages returns (the SDK's `GetImagesResult`). */
const GetImagesResultSchema = z.object({ regionId: z.string(), images: z.array(ImageSchema), ids: z.array(z.string()) });

const token = (name: string): string => `${PACKAGE_NAME}:index:${name}`;

/** The Python package's README (its PyPI page), which the generator writes into the package. */
function pythonReadme(repository: string): string {
  return [
    "# pulumi-jdcloud-image",
    "",
    "Look up and search JD Cloud VM images from a Pulumi program, failing `pulumi preview` with one clear sentence when an image is wrong, not `ready`, or misses your requirements.",
    "",
    "## Install",
    "",
    "    pip install pulumi-jdcloud-image",
    "",
    "Pulumi downloads the provider plugin for your OS and architecture from the project's release page the first time a program needs it.",
    "",
    "## Use",
    "",
    "    import pulumi",
    "    import pulumi_jdcloud_image as jdcloud_image",
    "",
    '    image = jdcloud_image.get_image_output(image_id="img-h8ly274zg9", require={"os_type": ["linux"]})',
    '    pulumi.export("platform", image.platform)',
    '    pulumi.export("systemDiskSizeGB", image.system_disk_size_gb)',
    "",
    "Set `jdcloud-image:region`, `jdcloud-image:accessKey` and `jdcloud-image:secretKey` (with `--secret`) in the stack's config, or `JDCLOUD_REGION`, `JDCLOUD_ACCESS_KEY` and `JDCLOUD_SECRET_KEY`.",
    `Everything else — search with \`get_images\` and \`find_image\`, the settings, the errors, the bundled emulator — is in the project's README: ${repository}#readme`,
    "",
  ].join("\n");
}

/** The package schema, as an object ready for `JSON.stringify(_, null, 2)`. */
export function generateSchema(manifest: PackageManifest): Record<string, unknown> {
  const docs = new DocReader([
    "sdk/nodejs/getImage.ts",
    "sdk/nodejs/findImage.ts",
    "provider/jdcloud/image.ts",
    "provider/jdcloud/settings.ts",
    "provider/disks.ts",
    "sdk/nodejs/instanceDisks.ts",
  ]);
  const refs = new Map<z.ZodType, string>([
    [SnapshotSchema, token("Snapshot")],
    [ImageSchema, token("Image")],
    [ImageRequirementsSchema, token("ImageRequirements")],
    [ImageDiskSchema, token("ImageDisk")],
    [ImageLocalDiskSchema, token("ImageLocalDisk")],
    [ImageCloudDiskSchema, token("ImageCloudDisk")],
    [SystemDiskSpecSchema, token("SystemDiskSpec")],
    [SystemCloudDiskSpecSchema, token("SystemCloudDiskSpec")],
    [DataDiskSpecSchema, token("DataDiskSpec")],
    [DataCloudDiskSpecSchema, token("DataCloudDiskSpec")],
    [TerraformDiskSchema, token("TerraformDisk")],
  ]);
  const disks = (name: string, schema: z.ZodObject): { type: "object" } & ObjectSpec => ({
    type: "object",
    ...objectOf(schema, docs.members("provider/disks.ts", name), refs),
  });
  const imageTypes = (name: string, schema: z.ZodObject): { type: "object" } & ObjectSpec => ({
    type: "object",
    ...objectOf(schema, docs.members("provider/jdcloud/image.ts", name), refs),
  });
  // Image as a type inside getImages' result, but the functions return its fields at top level.
  const typeRefs = new Map([...refs].filter(([s]) => s !== ImageSchema));
  const image = objectOf(ImageSchema, docs.members("provider/jdcloud/image.ts", "Image"), typeRefs);
  const options = objectOf(LookupOptionsSchema, docs.members("provider/jdcloud/settings.ts", "LookupOptions"), refs, SECRET_SETTINGS);
  const config = options.properties;

  return {
    name: PACKAGE_NAME,
    displayName: "JD Cloud Image",
    version: manifest.version,
    description: "Look up and search JD Cloud VM images from any Pulumi language, failing the preview when an image is wrong.",
    keywords: ["pulumi", "jdcloud", "image", "category/cloud", "kind/native"],
    license: "Apache-2.0",
    publisher: "pulumi-jdcloud-image",
    repository: githubRepository(manifest.repository),
    pluginDownloadURL: pluginDownloadURL(manifest.repository),
    meta: { moduleFormat: "(.*)" },
    config: { variables: config },
    provider: {
      description:
        "The jdcloud-image provider. Each setting left unset comes from the environment (JDCLOUD_ACCESS_KEY, ...) or the jdc profile.",
      inputProperties: config,
    },
    types: {
      [token("Snapshot")]: { type: "object", ...objectOf(SnapshotSchema, docs.members("provider/jdcloud/image.ts", "Snapshot"), refs) },
      [token("Image")]: { type: "object", ...image },
      [token("ImageRequirements")]: {
        type: "object",
        ...objectOf(ImageRequirementsSchema, docs.members("provider/jdcloud/image.ts", "ImageRequirements"), refs),
      },
      [token("ImageDisk")]: imageTypes("ImageDisk", ImageDiskSchema),
      [token("ImageLocalDisk")]: imageTypes("ImageLocalDisk", ImageLocalDiskSchema),
      [token("ImageCloudDisk")]: imageTypes("ImageCloudDisk", ImageCloudDiskSchema),
      [token("SystemDiskSpec")]: disks("SystemDiskSpec", SystemDiskSpecSchema),
      [token("SystemCloudDiskSpec")]: disks("SystemCloudDiskSpec", SystemCloudDiskSpecSchema),
      [token("DataDiskSpec")]: disks("DataDiskSpec", DataDiskSpecSchema),
      [token("DataCloudDiskSpec")]: disks("DataCloudDiskSpec", DataCloudDiskSpecSchema),
      [token("TerraformDisk")]: disks("TerraformDisk", TerraformDiskSchema),
    },
    functions: {
      [token("getImage")]: {
        description: docs.summary("sdk/nodejs/getImage.ts", "getImage"),
        inputs: objectOf(GetImageArgsSchema, docs.members("sdk/nodejs/getImage.ts", "GetImageArgs"), refs),
        outputs: image,
      },
      [token("getImages")]: {
        description: docs.summary("sdk/nodejs/findImage.ts", "getImages"),
        inputs: objectOf(ImageCriteriaSchema, docs.members("sdk/nodejs/findImage.ts", "ImageCriteria"), refs),
        outputs: objectOf(GetImagesResultSchema, docs.members("sdk/nodejs/findImage.ts", "GetImagesResult"), refs),
      },
      [token("findImage")]: {
        description: docs.summary("sdk/nodejs/findImage.ts", "findImage"),
        inputs: objectOf(FindImageCriteriaSchema, docs.members("sdk/nodejs/findImage.ts", "FindImageCriteria"), refs),
        outputs: image,
      },
      [token("instanceDisks")]: {
        description: docs.summary("sdk/nodejs/instanceDisks.ts", "instanceDisks"),
        inputs: objectOf(InstanceDisksArgsSchema, docs.members("provider/disks.ts", "InstanceDisksArgs"), refs),
        outputs: objectOf(InstanceDisksSchema, docs.members("provider/disks.ts", "InstanceDisks"), refs),
      },
      [token("terraformInstanceDisks")]: {
        description: docs.summary("sdk/nodejs/instanceDisks.ts", "terraformInstanceDisks"),
        inputs: objectOf(InstanceDisksArgsSchema, docs.members("provider/disks.ts", "InstanceDisksArgs"), refs),
        outputs: objectOf(TerraformInstanceDisksSchema, docs.members("provider/disks.ts", "TerraformInstanceDisks"), refs),
      },
    },
    language: {
      go: { importBasePath: GO_IMPORT_PATH, respectSchemaVersion: true, generateResourceContainerTypes: false },
      python: {
        packageName: PYTHON_PACKAGE,
        respectSchemaVersion: true,
        requires: { pulumi: ">=3.142.0,<4.0.0" },
        pyproject: { enabled: true },
        readme: pythonReadme(githubRepository(manifest.repository)),
      },
      nodejs: { packageName: "pulumi-jdcloud-image", respectSchemaVersion: true },
    },
  };
}

/** The schema file's text, as committed. */
export function schemaText(manifest: PackageManifest): string {
  return `${JSON.stringify(generateSchema(manifest), null, 2)}\n`;
}

/** This checkout's `package.json`, as the schema reads it. */
export function packageManifest(): PackageManifest {
  return JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as PackageManifest;
}
