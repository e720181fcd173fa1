/**
 * The stack config the engine hands the dynamic providers (`configure`), read as settings by both
 * the ImageLookup and the ImageSearch provider.
 */
import * as pulumi from "@pulumi/pulumi";
import { hasPulumiEngine } from "./engine";
import { setDebugSink } from "./jdcloud/log";
import { SettingName, SettingsSources, readStackConfig } from "./jdcloud/settings";

/** The subset of Pulumi's dynamic `ConfigureRequest` we use. */
export interface ConfigureRequest {
  readonly config: { get(key: string): string | undefined };
}

let config: ConfigureRequest["config"] | undefined;

/** Keeps the stack config for later calls; the engine calls it once per provider process. */
export function configure(req: ConfigureRequest): Promise<void> {
  config = req.config;
  // The provider host runs under the engine: its debug lines go where the program's do.
  if (hasPulumiEngine()) setDebugSink((line) => void pulumi.log.debug(line));
  return Promise.resolve();
}

function stackConfig(key: SettingName): string | undefined {
  const stack = config;
  if (!stack) return undefined;
  return readStackConfig(
    (k) => stack.get(k),
    key,
    (message) => {
      if (hasPulumiEngine()) void pulumi.log.warn(message);
    },
  );
}

/** Where the providers' settings come from besides the environment: the configured stack config. */
export const SOURCES: SettingsSources = Object.freeze({ stackConfig });
