/**
 * The functions the provider plugin serves, by token: the same client code as the TypeScript SDK's
 * `getImage`, `getImages` and `findImage`, with settings from the provider's configuration, and
 * the pure `instanceDisks` and `terraformInstanceDisks` (no request).
 */
import type { SettingsSources } from "../provider/jdcloud/settings";
import { InvalidArgumentError } from "../provider/jdcloud/errors";
import { instanceDisksOf, terraformDisksOf } from "../provider/disks";
import type { DiskSource, WantedDisks } from "../provider/disks";
import { lookupImage } from "../provider/lookup";
import { findImageFromCriteria, getImagesFromCriteria } from "../provider/search";

/** The Pulumi package name: tokens are `jdcloud-image:index:<function>`, config keys `jdcloud-image:<setting>`. */
export const PACKAGE_NAME = "jdcloud-image";

/** One function the plugin serves: validated arguments in, a plain object out. */
type PluginFunction = (args: Record<string, unknown>, sources: SettingsSources) => Promise<object>;

/** Validates the arguments of `instanceDisks` and `terraformInstanceDisks`: the image, and what is wanted of the disks. */
function disksArgs(name: string, args: Record<string, unknown>): { image: DiskSource; wanted: WantedDisks } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- zod loads on a disk function's first use, not at the plugin's start
  const { InstanceDisksArgsSchema } = require("../provider/disksSchemas") as typeof import("../provider/disksSchemas");
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
  const { inputProblem } = require("../provider/jdcloud/inputIssues") as typeof import("../provider/jdcloud/inputIssues");
  const parsed = InstanceDisksArgsSchema.safeParse(args);
  if (!parsed.success) {
    const { path, problem, suggestion } = inputProblem(InstanceDisksArgsSchema, parsed.error, args);
    const fix = suggestion ?? (path.startsWith("image") ? "pass the image as getImage returns it" : `see the arguments of ${name}`);
    throw new InvalidArgumentError(path || "arguments", problem, fix, { subject: name });
  }
  const { image, ...wanted } = parsed.data;
  return { image, wanted };
}

/** Every function, by the name after `jdcloud-image:index:`. */
export const FUNCTIONS: Readonly<Record<string, PluginFunction>> = Object.freeze({
  getImage: (args, sources) => lookupImage(args, { sources }),
  getImages: (args, sources) => getImagesFromCriteria(args, { sources }),
  findImage: (args, sources) => findImageFromCriteria(args, { sources }),
  instanceDisks: (args) => {
    const { image, wanted } = disksArgs("instanceDisks", args);
    return Promise.resolve(instanceDisksOf(image, wanted));
  },
  terraformInstanceDisks: (args) => {
    const { image, wanted } = disksArgs("terraformInstanceDisks", args);
    return Promise.resolve(terraformDisksOf(image, wanted));
  },
});

/** The function a token names; an `InvalidArgumentError` for a token this package does not have. */
export function functionFor(token: string): PluginFunction {
  const prefix = `${PACKAGE_NAME}:index:`;
  const name = token.startsWith(prefix) ? token.slice(prefix.length) : undefined;
  const fn = name !== undefined && Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (fn) return fn;
  throw new InvalidArgumentError(
    "token",
    `the package ${PACKAGE_NAME} has no function '${token.slice(0, 80)}'`,
    `call one of ${Object.keys(FUNCTIONS)
      .map((f) => `${prefix}${f}`)
      .join(", ")}, and check that the SDK and the plugin have the same version`,
    { subject: "the function call" },
  );
}
