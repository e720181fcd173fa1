/**
 * The stack config the engine hands the dynamic providers (`configure`), read as settings by both
 * the ImageLookup and the ImageSearch provider.
 */
import * as pulumi from "@pulumi/pulumi";
import { hasPulumiEngine } from "./engine";
import * as errors from "./jdcloud/errors";
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
  quietHostEchoes();
  return Promise.resolve();
}

/**
 * The dynamic-provider host writes every error a provider method throws to stderr as
 * `${err}: ${err.stack}`, which the engine shows on the stack's line; for our errors (whose one-line
 * `stack` is `Name: message`) that prints the sentence twice, beside the resource's own error line.
 * Inside that host only (the engine configures every provider it starts), such an echo of one of our
 * errors is dropped: the resource's error says it once. Full stack traces (PULUMI_JDCLOUD_DEBUG)
 * are not echoes, and pass.
 */
function quietHostEchoes(): void {
  if (echoesQuieted) return;
  echoesQuieted = true;
  const write = console.error.bind(console);
  console.error = (...args: unknown[]): void => {
    const [first] = args;
    if (args.length === 1 && typeof first === "string" && isEchoOfOurError(first)) return;
    write(...args);
  };
}
let echoesQuieted = false;

/** Whether `line` is `X: X` with `X` one of our errors' `Name: message`. */
export function isEchoOfOurError(line: string): boolean {
  const half = (line.length - 2) / 2;
  if (!Number.isInteger(half) || line.slice(half, half + 2) !== ": ") return false;
  const head = line.slice(0, half);
  const colon = head.indexOf(": ");
  return head === line.slice(half + 2) && colon > 0 && OUR_ERROR_NAMES.has(head.slice(0, colon));
}
/** The names of our error classes (JdcloudImageError and every class of errors.ts that extends it). */
const OUR_ERROR_NAMES: ReadonlySet<string> = new Set(
  Object.values(errors)
    .filter(
      (v): v is typeof errors.JdcloudImageError =>
        typeof v === "function" && (v === errors.JdcloudImageError || v.prototype instanceof errors.JdcloudImageError),
    )
    .map((c) => c.name),
);

/**
 * A warning from a provider method to the user. The dynamic-provider host has no channel to the
 * engine's log, but the engine shows what it writes to stderr with the stack's messages.
 */
export function warnFromProvider(message: string): void {
  if (hasPulumiEngine()) void pulumi.log.warn(message);
  else console.error(`warning: ${message}`);
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
export const SOURCES: SettingsSources = Object.freeze({ stackConfig, caller: "dynamic-provider" });
