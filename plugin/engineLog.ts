/**
 * Debug lines to the engine: the plugin sends the client's debug lines (where each setting came
 * from, each request and JD Cloud's request ID — never a secret) to the engine's Log service at
 * DEBUG severity, so `pulumi preview --debug` shows them in every language as it does for
 * TypeScript programs.
 */
import * as grpc from "@grpc/grpc-js";
import * as engrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engproto from "@pulumi/pulumi/proto/engine_pb";
import type { DebugSink } from "../provider/jdcloud/log";

/** The engine's address among a plugin's arguments (`[flags...] host:port`), when there is one. */
export function engineAddress(args: readonly string[]): string | undefined {
  return args.find((arg) => !arg.startsWith("-") && /^(\[[0-9a-fA-F:]+\]|[\w.-]+):\d{1,5}$/.test(arg));
}

/** A debug sink that logs each line to the engine at `address`; a line that cannot be sent is dropped. */
export function engineDebugSink(address: string): DebugSink {
  const client = new engrpc.EngineClient(address, grpc.credentials.createInsecure()) as unknown as {
    log(request: engproto.LogRequest, callback: (err: grpc.ServiceError | null) => void): void;
  };
  return (line) => {
    client.log(new engproto.LogRequest().setSeverity(engproto.LogSeverity.DEBUG).setMessage(line), () => undefined);
  };
}
