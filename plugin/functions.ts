/**
 * The functions the provider plugin serves, by token: the same client code as the TypeScript SDK's
 * `getImage`, `getImages` and `findImage`, with settings from the provider's configuration.
 */
import type { SettingsSources } from "../provider/jdcloud/settings";
import { InvalidArgumentError } from "../provider/jdcloud/errors";
import { lookupImage } from "../provider/lookup";
import { findImageFromCriteria, getImagesFromCriteria } from "../provider/search";

/** The Pulumi package name: tokens are `jdcloud-image:index:<function>`, config keys `jdcloud-image:<setting>`. */
export const PACKAGE_NAME = "jdcloud-image";

/** One function the plugin serves: validated arguments in, a plain object out. */
type PluginFunction = (args: Record<string, unknown>, sources: SettingsSources) => Promise<object>;

/** Every function, by the name after `jdcloud-image:index:`. */
export const FUNCTIONS: Readonly<Record<string, PluginFunction>> = Object.freeze({
  getImage: (args, sources) => lookupImage(args, { sources }),
  getImages: (args, sources) => getImagesFromCriteria(args, { sources }),
  findImage: (args, sources) => findImageFromCriteria(args, { sources }),
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
