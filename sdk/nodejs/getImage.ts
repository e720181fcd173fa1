/**
 * `getImage` / `getImageOutput`: the data-source pair every Pulumi provider SDK
 * offers (`getAmi` / `getAmiOutput`), for JD Cloud's describeImage.
 */
import * as pulumi from "@pulumi/pulumi";
import { JdcloudImageError } from "../../provider/jdcloud/errors";
import { hasPulumiEngine } from "../../provider/engine";
import { setDebugSink } from "../../provider/jdcloud/log";
import { configureDeployments, deploymentMemory, registerState } from "../../provider/jdcloud/state";
import { LookupContext, lookupImage } from "../../provider/lookup";
import type { Image, ImageRequirements } from "../../provider/jdcloud/image";
import { SETTING_NAMES, readStackConfig } from "../../provider/jdcloud/settings";
import type { LookupOptions, SettingName } from "../../provider/jdcloud/settings";

/** Arguments of {@link getImage}. */
export interface GetImageArgs {
  /** The image ID, e.g. `img-h8ly274zg9` (or a legacy UUID). */
  readonly imageId: string;
  /** The region, e.g. `cn-north-1`. Default: the `region` setting (`opts.region` in TypeScript, else `jdcloud-image:region`), `JDCLOUD_REGION`, or the jdc profile. */
  readonly regionId?: string;
  /**
   * What the program needs of the image; a miss fails the lookup with an `ImageRequirementError` naming every field that missed.
   * `status` defaults to `"ready"` even when `require` is omitted.
   */
  readonly require?: ImageRequirements;
}

/** Arguments of {@link getImageOutput}: every field may be an `Input`. */
export interface GetImageOutputArgs {
  /** The image ID, e.g. `img-h8ly274zg9`. */
  readonly imageId: pulumi.Input<string>;
  /** The region, e.g. `cn-north-1`; defaults as in {@link GetImageArgs.regionId}. */
  readonly regionId?: pulumi.Input<string | undefined>;
  /** What the program needs of the image; see {@link GetImageArgs.require}. */
  readonly require?: pulumi.Input<pulumi.Unwrap<ImageRequirements> | undefined>;
}

/** Connection settings of a lookup; see {@link LookupOptions} for each field and its default. */
export type GetImageOptions = LookupOptions;

/** Options of {@link getImageOutput}: the connection settings plus Pulumi's invoke options (`dependsOn`, `parent`). */
export interface GetImageOutputOptions extends LookupOptions, pulumi.InvokeOutputOptions {}

/** Reads `jdcloud-image:*` stack config when running inside Pulumi; outside, nothing is set. */
function stackConfig(key: SettingName): string | undefined {
  // runtime.getConfig reads the plain value without Config.get's warning for secrets;
  // the value never leaves this process except as a signing key.
  return readStackConfig(pulumi.runtime.getConfig, key, warnUnderPulumi);
}

/**
 * Reads every setting's stack config under Pulumi, so a deprecated `jdcloud:*` key is warned about
 * in the program (once per deployment), where the user sees it. ImageLookup and ImageSearch call it:
 * their provider host reads the same keys, but has no channel to the user.
 */
export function warnDeprecatedConfig(): void {
  if (!hasPulumiEngine()) return;
  for (const field of SETTING_NAMES) stackConfig(field);
}

function warnUnderPulumi(message: string): void {
  if (hasPulumiEngine()) void pulumi.log.warn(message);
}

/**
 * Looks up a JD Cloud VM image by ID and checks it against `require`.
 *
 * Runs in the program, so it runs during `pulumi preview` too: a wrong ID or an
 * image that does not fit fails the preview before anything is created.
 * Concurrent and repeated lookups of the same image share one request.
 *
 * @example
 * const img = await getImage({ imageId: "img-h8ly274zg9", regionId: "cn-north-1", require: { osType: "linux" } });
 * const diskGB = Math.max(60, img.systemDiskSizeGB);
 *
 * @throws InvalidArgumentError before any request, for a malformed ID or region, or missing credentials.
 * @throws ImageNotFoundError, AuthenticationError, ThrottledError, JdcloudApiError, NetworkError, InvalidResponseError
 * @throws ImageRequirementError when the image misses `require`.
 */
export function getImage(args: GetImageArgs, opts?: GetImageOptions): Promise<Image> {
  logUnderPulumi();
  // Passed on as given: lookups without options share one settings resolution per burst.
  return lookupImage(args, opts ? contextOf(opts) : NO_OPTIONS_CONTEXT);
}

/** One lookup context per options object, so lookups passing the same options share this turn's work (see lookupImage). */
function contextOf(options: GetImageOptions): LookupContext {
  let context = contexts.get(options);
  if (context === undefined) contexts.set(options, (context = { options, sources: SOURCES, mapError: asRunError }));
  return context;
}
const contexts = new WeakMap<GetImageOptions, LookupContext>();
registerState({
  name: "sdk: lookup contexts",
  holds: "the lookup context (options, settings sources, error mapping) made for an options object",
  bound: "one per live options object (a WeakMap)",
  lifetime: "as long as its options object",
  size: () => undefined,
  // Made from the options object alone, and never changed: nothing to forget.
  reset: () => undefined,
});

/**
 * Our messages are complete sentences for people; Pulumi prints a stack trace with
 * any other error. Its `RunError` marker makes it print the message alone, while
 * the error keeps its class and fields.
 */
export function asRunError(err: unknown): unknown {
  if (!(err instanceof JdcloudImageError)) return err;
  const sentences = thrown();
  const first = sentences.get(err.message);
  if (first && first.constructor === err.constructor) return first;
  if (sentences.size >= THROWN_LIMIT) sentences.delete(sentences.keys().next().value as string);
  sentences.set(err.message, err);
  if (!Object.prototype.hasOwnProperty.call(err, "__pulumiRunError")) {
    Object.defineProperty(err, "__pulumiRunError", { value: true, enumerable: false });
  }
  return err;
}

// Pulumi reports an unhandled error once per object. Lookups that fail the same way before or
// after the shared request (two getImageOutputs of one image without credentials, or missing the
// same require) each build their own error with the same sentence: they reject with the first
// object, so the sentence is printed once. Bounded, and per deployment: the next run reports afresh.
const THROWN_LIMIT = 64;
const thrown = deploymentMemory(
  {
    name: "sdk: errors by sentence",
    holds: "the first error thrown with each sentence, so later lookups failing the same way reject with it",
    bound: `${THROWN_LIMIT} sentences, oldest dropped first`,
    size: (memory) => memory.size,
  },
  () => new Map<string, JdcloudImageError>(),
);

// A deployment is one run of the program: its resource monitor client is made for the run (a new one
// for each inline Automation API run, and for each runtime-mocks setup) and lives as long as it.
configureDeployments({ identity: () => pulumi.runtime.getMonitor() });

/**
 * Quiets Node's PromiseRejectionHandledWarning for the rest of a Pulumi program, once one of our
 * lookups has failed in it. A failure found before any request (bad arguments, no credentials)
 * rejects before Pulumi has read the stack's exports: Pulumi reports the rejection as unhandled
 * (our sentence, once), then its export serialization handles the same rejection a moment later,
 * and Node would print a warning per export. Node prints none when a `rejectionHandled` listener
 * exists. Installed only inside a Pulumi program, only after our failure, once.
 */
export function quietLateHandling(): void {
  if (lateHandlingQuieted || !hasPulumiEngine()) return;
  lateHandlingQuieted = true;
  process.on("rejectionHandled", () => undefined);
}
let lateHandlingQuieted = false;

/** Under Pulumi, the lookup path's debug lines go to `pulumi.log.debug` (`pulumi preview --debug` shows them). */
export function logUnderPulumi(): void {
  if (debugLogging || !hasPulumiEngine()) return;
  debugLogging = true;
  setDebugSink((line) => void pulumi.log.debug(line));
}
let debugLogging = false;

/** Where the SDK's settings come from besides `opts`; one object, so lookups started together share a resolution. */
export const SOURCES = Object.freeze({ stackConfig, caller: "sdk" as const });
const NO_OPTIONS_CONTEXT = Object.freeze({ sources: SOURCES, mapError: asRunError });

const INVOKE_OPTION_KEYS = ["dependsOn", "parent", "provider", "providers", "version", "pluginDownloadURL", "async"] as const;

/**
 * {@link getImage} with `Input` arguments, returning `Output<Image>` so fields lift:
 * `img.platform`, `img.systemDiskSizeGB`, `img.snapshots`.
 *
 * In preview, an unknown input (or a `dependsOn` resource not yet created) gives
 * an unknown output and sends no request; a secret input gives a secret output.
 */
export function getImageOutput(args: GetImageOutputArgs, opts: GetImageOutputOptions = {}): pulumi.Output<Image> {
  const lookupOptions: Record<string, unknown> = { ...opts };
  for (const key of INVOKE_OPTION_KEYS) delete lookupOptions[key];
  const connection = Object.keys(lookupOptions).length > 0 ? (lookupOptions as GetImageOptions) : undefined;
  const ready = dependenciesReady(opts.dependsOn);
  return pulumi.all([pulumi.output(args), ready]).apply(([plain]) =>
    getImage(plain as GetImageArgs, connection).catch((err: unknown) => {
      quietLateHandling();
      throw err;
    }),
  );
}

/** An output that resolves when every `dependsOn` resource exists (unknown in preview when one is to be created). */
function dependenciesReady(dependsOn: GetImageOutputOptions["dependsOn"]): pulumi.Output<unknown> {
  if (dependsOn === undefined) return pulumi.output(true);
  return pulumi.output(dependsOn).apply((deps) => {
    const list = (Array.isArray(deps) ? deps : [deps]).filter((d): d is pulumi.Resource => d !== undefined);
    return pulumi.all(list.map((r) => (pulumi.CustomResource.isInstance(r) ? r.id : r.urn)));
  });
}
