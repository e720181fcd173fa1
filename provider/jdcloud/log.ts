/**
 * Debug logging of the lookup path: retries, throttling waits, where settings came from, request
 * IDs. Silent unless a sink is installed — the SDK and the provider install `pulumi.log.debug`
 * when they run under Pulumi, so `pulumi preview --debug` (or `--logflow -v=9`) shows the lines.
 * Never a secret: lines name where a key came from, never its value.
 */

/** Where debug lines go. */
export type DebugSink = (line: string) => void;

let sink: DebugSink | undefined;

/** Installs (or, with `undefined`, removes) the sink for debug lines. */
export function setDebugSink(next: DebugSink | undefined): void {
  sink = next;
}

/** Logs a line built only when a sink listens (building it costs nothing otherwise). */
export function debug(line: () => string): void {
  if (sink) sink(`jdcloud-image: ${line()}`);
}
