/**
 * The `pulumi-resource-jdcloud-image` provider plugin: a gRPC ResourceProvider that serves the
 * package's functions as invokes, so every Pulumi language (and YAML's `fn::invoke`) can call them.
 *
 * Written on the generated gRPC service rather than `@pulumi/pulumi/provider`'s `main()`: that
 * server drops `Configure`'s config (3.248), cannot mark invoke results secret, and loads the whole
 * Node SDK at start-up. This one holds the methods the engine needs for functions (GetPluginInfo,
 * GetSchema, CheckConfig, Configure, Invoke) plus Cancel and Attach; the rest answer UNIMPLEMENTED,
 * which the engine reads as "use the default behaviour".
 */
import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { InvalidArgumentError, JdcloudImageError, clip, kindOf } from "../provider/jdcloud/errors";
import { SETTING_TYPES, SettingName, SettingsSources } from "../provider/jdcloud/settings";
import { didYouMean } from "../provider/jdcloud/suggest";
import { PACKAGE_NAME, functionFor } from "./functions";

/** The key and value Pulumi's wire format uses to mark a secret: `{ [SECRET_SIG]: SECRET_VALUE, value }`. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/**
 * The string the engine sends for a value not known until deployment. (It invokes nothing with
 * unknown arguments, and configures no provider whose config is unknown; read as absent anyway.)
 */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** What a value from the wire holds: its plain form, and whether any part of it was secret. */
interface Unwrapped {
  readonly value: unknown;
  readonly secret: boolean;
}

/** Strips Pulumi's secret markers from a wire value, noting whether any were there. */
export function unwrap(value: unknown): Unwrapped {
  let secret = false;
  const walk = (v: unknown): unknown => {
    if (v === UNKNOWN) return undefined;
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== "object" || v === null) return v;
    const record = v as Record<string, unknown>;
    if (record[SIG_KEY] === SECRET_SIG) {
      secret = true;
      return walk(record["value"]);
    }
    const out: Record<string, unknown> = {};
    for (const [k, inner] of Object.entries(record)) out[k] = walk(inner);
    return out;
  };
  const plain = walk(value);
  return { value: plain, secret };
}

/** What {@link SchemaKeys} reads of a schema: properties, array items, references to types. */
interface SchemaShape {
  readonly properties?: Readonly<Record<string, SchemaShape>>;
  readonly items?: SchemaShape;
  readonly additionalProperties?: SchemaShape;
  readonly $ref?: string;
}

/**
 * Python programs may pass a nested argument as a dict typed by the SDK's `...Dict` TypedDicts,
 * whose keys are snake_case (`{"os_type": ["linux"]}`), and the Python SDK sends such dicts, and
 * the output types a function returned, as they are. Following the function's inputs through the
 * schema's types, each snake_case key that names a property of the type at its place (ignoring
 * case and underscores) is renamed to that property: `disk_size_gb` is `diskSizeGB` in an `Image`'s
 * disk and `diskSizeGb` in a Terraform-shaped one. Every other key is left for validation to report.
 */
export class SchemaKeys {
  private readonly types: Readonly<Record<string, SchemaShape>>;
  private readonly functions: Readonly<Record<string, { readonly inputs?: SchemaShape }>>;

  constructor(schema: string) {
    const parsed = JSON.parse(schema) as { types?: Record<string, SchemaShape>; functions?: Record<string, { inputs?: SchemaShape }> };
    this.types = parsed.types ?? {};
    this.functions = parsed.functions ?? {};
  }

  /** The arguments of the function `token` with every snake_case key its schema names renamed. */
  args(token: string, value: unknown): unknown {
    return this.rename(value, this.functions[token]?.inputs);
  }

  private rename(value: unknown, shape: SchemaShape | undefined): unknown {
    const node = shape?.$ref?.startsWith("#/types/") ? this.types[shape.$ref.slice("#/types/".length)] : shape;
    if (Array.isArray(value)) return value.map((v) => this.rename(v, node?.items));
    if (typeof value !== "object" || value === null) return value;
    const properties = node?.properties ?? {};
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      const name = key.includes("_") && !Object.hasOwn(properties, key) ? (propertyNamed(properties, key) ?? key) : key;
      out[name] = this.rename(inner, Object.hasOwn(properties, name) ? properties[name] : node?.additionalProperties);
    }
    return out;
  }
}

/** The property of `properties` that `key` spells in snake_case, if one does. */
function propertyNamed(properties: Readonly<Record<string, SchemaShape>>, key: string): string | undefined {
  const folded = key.replace(/_/g, "").toLowerCase();
  return Object.keys(properties).find((name) => name.toLowerCase() === folded);
}

/** Marks every top-level value of a result secret. */
function secretFields(result: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(result)) out[k] = { [SIG_KEY]: SECRET_SIG, value: v };
  return out;
}

/** A plain JSON object (no `undefined`, no class instances) for a protobuf Struct. */
function plainObject(value: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

/**
 * The longest message a gRPC error of ours carries: it travels in the status trailer, and a client
 * (grpc-js among them) that cannot read an oversized trailer waits forever, then hangs the channel.
 */
const GRPC_MESSAGE_MAX = 2000;

/** A gRPC error carrying our message as it is (bounded): the engine shows it to the user. */
function grpcError(err: unknown): grpc.ServiceError {
  const message = clip(
    err instanceof JdcloudImageError
      ? err.message
      : `The ${PACKAGE_NAME} provider failed unexpectedly: ${err instanceof Error ? err.message : String(err)}; please report this.`,
    GRPC_MESSAGE_MAX,
  );
  return Object.assign(new Error(message), { code: grpc.status.UNKNOWN, details: message, metadata: new grpc.Metadata() });
}

/** Settings the provider was configured with, as config strings keyed by setting name. */
type ProviderConfig = Partial<Record<SettingName, string>>;

/** Reads the provider's configuration: typed `args` first, then the flat `variables` map (`jdcloud-image:config:<setting>`). */
export function readConfig(variables: Iterable<[string, string]>, args: unknown): ProviderConfig {
  const config: Record<string, string> = {};
  for (const [key, value] of variables) {
    for (const prefix of [`${PACKAGE_NAME}:config:`, `${PACKAGE_NAME}:`]) {
      if (key.startsWith(prefix)) {
        config[key.slice(prefix.length)] = value;
        break;
      }
    }
  }
  const { value } = unwrap(args);
  if (typeof value === "object" && value !== null) {
    for (const [name, v] of Object.entries(value)) {
      if (typeof v === "string") config[name] = v;
      else if (typeof v === "number" || typeof v === "boolean") config[name] = String(v);
    }
  }
  return config;
}

/** Keys the engine itself puts among a provider's inputs. */
const ENGINE_KEYS: ReadonlySet<string> = new Set(["version", "pluginDownloadURL"]);

/** One problem with one provider configuration key. */
interface ConfigProblem {
  /** The key as shown (cleaned and cut). */
  readonly property: string;
  readonly problem: string;
  readonly fix: string;
}

/**
 * What is wrong with a provider configuration, one problem per key: a key that is no setting (a
 * typo such as `secretkey` would otherwise be ignored, and the lookup would sign with another
 * source's key), a value of the wrong type (a list or an object for a key: never dropped, so that
 * another source's credentials sign instead), or a count or timeout that is not a whole number.
 * Values are never repeated.
 */
function configProblems(news: unknown): ConfigProblem[] {
  const { value } = unwrap(news);
  if (typeof value !== "object" || value === null) return [];
  const problems: ConfigProblem[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (ENGINE_KEYS.has(key) || v === undefined || v === null) continue;
    const property = clip(key, 40);
    if (!Object.hasOwn(SETTING_TYPES, key)) {
      const suggestion = didYouMean(key, Object.keys(SETTING_TYPES));
      problems.push({
        property,
        problem: `${PACKAGE_NAME} has no setting '${property}'`,
        fix: `${suggestion ? `${suggestion} ` : ""}The settings are ${Object.keys(SETTING_TYPES).join(", ")} (names are case-sensitive)`,
      });
      continue;
    }
    const numeric = SETTING_TYPES[key as SettingName] === "number";
    if (numeric ? !(typeof v === "number" || typeof v === "string") || !/^\d{1,9}$/.test(String(v)) : typeof v !== "string") {
      problems.push(
        numeric
          ? {
              property,
              problem: `${PACKAGE_NAME}:${key} must be a whole number (of ${key === "timeoutMs" ? "milliseconds" : "retries"}), not ${kindOf(v)}`,
              fix: `set ${PACKAGE_NAME}:${key} to a whole number`,
            }
          : {
              property,
              problem: `${PACKAGE_NAME}:${key} must be a string, not ${kindOf(v)}`,
              fix: `set ${PACKAGE_NAME}:${key} to the value as text`,
            },
      );
    }
  }
  return problems;
}

/** {@link configProblems} as CheckConfig failures: the property, and the problem with its fix. */
export function configFailures(news: unknown): Array<{ property: string; reason: string }> {
  return configProblems(news).map((p) => ({ property: p.property, reason: `${p.problem}; ${p.fix}` }));
}

/** The plugin's state: its configuration once the engine has sent it. */
export class ImageProviderServer {
  private sources: SettingsSources = { stackConfig: () => undefined, caller: "plugin" };
  private readonly keys: SchemaKeys;

  constructor(
    private readonly version: string,
    private readonly schema: string,
  ) {
    this.keys = new SchemaKeys(schema);
  }

  /** The gRPC handlers, by method name. */
  handlers(): grpc.UntypedServiceImplementation {
    return {
      getPluginInfo: (_call: unknown, callback: grpc.sendUnaryData<plugproto.PluginInfo>) => {
        callback(null, new plugproto.PluginInfo().setVersion(this.version));
      },
      getSchema: (
        call: grpc.ServerUnaryCall<provproto.GetSchemaRequest, provproto.GetSchemaResponse>,
        callback: grpc.sendUnaryData<provproto.GetSchemaResponse>,
      ) => {
        if (call.request.getVersion() !== 0) {
          callback(grpcError(new Error(`unsupported schema version ${call.request.getVersion()}`)));
          return;
        }
        callback(null, new provproto.GetSchemaResponse().setSchema(this.schema));
      },
      checkConfig: (
        call: grpc.ServerUnaryCall<provproto.CheckRequest, provproto.CheckResponse>,
        callback: grpc.sendUnaryData<provproto.CheckResponse>,
      ) => {
        const news = call.request.getNews();
        const failures = configFailures(news?.toJavaScript()).map((f) =>
          new provproto.CheckFailure().setProperty(f.property).setReason(f.reason),
        );
        callback(null, new provproto.CheckResponse().setInputs(news).setFailuresList(failures));
      },
      configure: (
        call: grpc.ServerUnaryCall<provproto.ConfigureRequest, provproto.ConfigureResponse>,
        callback: grpc.sendUnaryData<provproto.ConfigureResponse>,
      ) => {
        const args = call.request.getArgs()?.toJavaScript();
        // The engine checked the config with CheckConfig first; an engine that did not still gets a
        // refusal, never a setting dropped (another source's credentials would sign instead).
        const [failure] = configFailures(args);
        if (failure) {
          callback(
            grpcError(
              new InvalidArgumentError(failure.property, failure.reason, "fix the provider configuration", {
                subject: "the provider configuration",
              }),
            ),
          );
          return;
        }
        const config = readConfig(call.request.getVariablesMap().entries() as Iterable<[string, string]>, args);
        this.sources = { stackConfig: (key) => config[key], caller: "plugin" };
        callback(
          null,
          new provproto.ConfigureResponse()
            .setAcceptsecrets(true)
            .setSupportspreview(true)
            .setAcceptresources(false)
            .setAcceptoutputs(false),
        );
      },
      invoke: (
        call: grpc.ServerUnaryCall<provproto.InvokeRequest, provproto.InvokeResponse>,
        callback: grpc.sendUnaryData<provproto.InvokeResponse>,
      ) => {
        void this.invoke(call.request).then(
          (response) => callback(null, response),
          (err: unknown) => callback(grpcError(err)),
        );
      },
      cancel: (_call: unknown, callback: grpc.sendUnaryData<emptyproto.Empty>) => callback(null, new emptyproto.Empty()),
      attach: (_call: unknown, callback: grpc.sendUnaryData<emptyproto.Empty>) => callback(null, new emptyproto.Empty()),
    };
  }

  /** Runs one function; a secret argument makes every field of its result secret. */
  async invoke(request: provproto.InvokeRequest): Promise<provproto.InvokeResponse> {
    const token = request.getTok();
    const fn = functionFor(token);
    const { value, secret } = unwrap(request.getArgs()?.toJavaScript() ?? {});
    const args = typeof value === "object" && value !== null ? (this.keys.args(token, value) as Record<string, unknown>) : {};
    const result = plainObject(await fn(args, this.sources));
    const wire = (secret ? secretFields(result) : result) as Record<string, structproto.JavaScriptValue>;
    return new provproto.InvokeResponse().setReturn(structproto.Struct.fromJavaScript(wire));
  }
}

/**
 * Starts the plugin: listens on a loopback port and prints it, which is how the engine finds a
 * plugin. Nothing else may be written to stdout.
 */
export async function serve(version: string, schema: string): Promise<grpc.Server> {
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(provrpc.ResourceProviderService, new ImageProviderServer(version, schema).handlers());
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  process.stdout.write(`${port}\n`);
  return server;
}
