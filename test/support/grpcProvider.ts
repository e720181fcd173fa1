/**
 * A gRPC client of a Pulumi resource provider process (the dynamic-provider host, or our plugin),
 * speaking the engine's protocol through the generated stubs `@pulumi/pulumi` ships.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as grpc from "@grpc/grpc-js";

/* The generated gRPC stubs ship without precise typings for these paths. */
const provproto = require("@pulumi/pulumi/proto/provider_pb") as Record<string, new () => GrpcMessage>;
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb") as {
  ResourceProviderClient: new (address: string, creds: grpc.ChannelCredentials) => grpc.Client;
};
const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(value: object): unknown } };
const { Empty } = require("google-protobuf/google/protobuf/empty_pb") as { Empty: new () => GrpcMessage };

/** A protobuf message, seen through its getters and setters. */
export type GrpcMessage = Record<string, (...args: unknown[]) => unknown>;
/** Plain properties of a Struct. */
export type Props = Record<string, unknown>;

/** Calls one unary method of the provider over gRPC. */
export function call(client: grpc.Client, method: string, request: GrpcMessage): Promise<GrpcMessage> {
  return new Promise((resolve, reject) => {
    (client as unknown as Record<string, (req: unknown, cb: (err: Error | null, res: GrpcMessage) => void) => void>)[method]?.(
      request,
      (err, res) => (err ? reject(err) : resolve(res)),
    );
  });
}

/** A provider request message of `type` with the given setters called. */
export function message(type: string, fields: Record<string, unknown>): GrpcMessage {
  const Ctor = provproto[type];
  if (!Ctor) throw new Error(`no message ${type}`);
  const m = new Ctor();
  for (const [setter, value] of Object.entries(fields)) m[setter]?.(value);
  return m;
}

/** Pulumi's wire form of a secret value. */
export function secret(value: unknown): Record<string, unknown> {
  return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value };
}

/**
 * A Configure request as the engine sends one to a provider plugin: the flat `variables`
 * (`jdcloud-image:config:<setting>`) and the typed `args`, with the settings in `secrets` marked secret.
 */
export function configureRequest(config: Record<string, string>, secrets: readonly string[] = ["secretKey"]): GrpcMessage {
  const req = message("ConfigureRequest", {
    setArgs: struct(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, secrets.includes(k) ? secret(v) : v]))),
    setAcceptsecrets: true,
  });
  const variables = req["getVariablesMap"]?.() as { set(k: string, v: string): void };
  for (const [k, v] of Object.entries(config)) variables.set(`jdcloud-image:config:${k}`, v);
  return req;
}

/** `google.protobuf.Empty`. */
export const empty = (): GrpcMessage => new Empty();
/** A Struct of plain properties. */
export const struct = (value: Props): unknown => Struct.fromJavaScript(value);
/** A Struct's plain properties. */
export const toJs = (s: unknown): Props => (s as { toJavaScript(): Props }).toJavaScript();

/** A provider process and a client connected to it; `stderr` collects what it logged. */
export interface ProviderProcess {
  readonly process: ChildProcess;
  readonly client: grpc.Client;
  readonly stderr: () => string;
  close(): void;
}

/**
 * Starts a provider the way the engine does (`command [args] <engine address>`), reads the port
 * it prints, and connects.
 */
export async function startProvider(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ProviderProcess> {
  const child = spawn(command, [...args, "127.0.0.1:1"], { ...options, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout?.once("data", (c: Buffer) => resolve(c.toString().trim()));
    child.once("exit", (code) => reject(new Error(`provider exited with ${code}: ${stderr}`)));
  });
  const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return {
    process: child,
    client,
    stderr: () => stderr,
    close: () => {
      client.close();
      child.kill();
    },
  };
}
