#!/usr/bin/env node
/**
 * `jdcloud-image-emulator [--host 127.0.0.1] [--port N|0] [--fixtures FILE]
 * [--access-key K] [--secret-key S] [--request-log-limit N]`: prints one JSON line
 * when ready, then one log line per request on stderr; exits cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from "node:util";
import { startEmulator } from "./server";
import { FixtureError, Fixtures, loadFixtures } from "./store";

const USAGE =
  "usage: jdcloud-image-emulator [--host 127.0.0.1] [--port N|0] [--fixtures FILE] [--access-key K --secret-key S] [--request-log-limit N]";

async function main(argv: string[]): Promise<number> {
  let values: {
    host?: string;
    port?: string;
    fixtures?: string;
    "access-key"?: string;
    "secret-key"?: string;
    "request-log-limit"?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        host: { type: "string" },
        port: { type: "string" },
        fixtures: { type: "string" },
        "access-key": { type: "string" },
        "secret-key": { type: "string" },
        "request-log-limit": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`jdcloud-image-emulator: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`jdcloud-image-emulator: --port must be a number from 0 to 65535, not '${values.port}'\n`);
    return 2;
  }
  const logLimit = values["request-log-limit"] === undefined ? undefined : Number(values["request-log-limit"]);
  if (logLimit !== undefined && (!Number.isInteger(logLimit) || logLimit < 0)) {
    process.stderr.write(`jdcloud-image-emulator: --request-log-limit must be a whole number of 0 or more\n`);
    return 2;
  }
  if ((values["access-key"] === undefined) !== (values["secret-key"] === undefined)) {
    process.stderr.write("jdcloud-image-emulator: give --access-key and --secret-key together, or neither to generate a pair\n");
    return 2;
  }
  let fixtures: Fixtures | undefined;
  if (values.fixtures !== undefined) {
    try {
      fixtures = loadFixtures(values.fixtures);
    } catch (err) {
      if (err instanceof FixtureError) {
        process.stderr.write(`jdcloud-image-emulator: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
  }

  const emulator = await startEmulator({
    host: values.host ?? "127.0.0.1",
    port,
    ...(values["access-key"] !== undefined ? { accessKey: values["access-key"] } : {}),
    ...(values["secret-key"] !== undefined ? { secretKey: values["secret-key"] } : {}),
    ...(logLimit !== undefined ? { requestLogLimit: logLimit } : {}),
    ...(fixtures ? { images: fixtures.images, faults: fixtures.faults ?? [], latencyMs: fixtures.latencyMs ?? 0 } : {}),
    onRequest: (r) =>
      process.stderr.write(
        `${new Date(r.at).toISOString()} ${r.method} ${r.path} ${r.httpStatus || "dropped"} ${r.requestId}` +
          `${r.faults.length ? ` faults=${r.faults.join(",")}` : ""}\n`,
      ),
  });
  // Listen for signals before announcing readiness: a caller may stop us right after the line.
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  process.stdout.write(
    JSON.stringify({ endpoint: emulator.endpoint, accessKey: emulator.accessKey, secretKey: emulator.secretKey }) + "\n",
  );
  await stopped;
  await emulator.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`jdcloud-image-emulator: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
