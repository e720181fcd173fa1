#!/usr/bin/env node
/**
 * `jdcloud-image-emulator [options]` (see `--help`): prints one JSON line when ready, then one log
 * line per request on stderr; exits cleanly on SIGINT/SIGTERM.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { didYouMean } from "../provider/jdcloud/suggest";
import { DEFAULT_REQUEST_LOG_LIMIT, startEmulator } from "./server";
import { FixtureError, Fixtures, IMAGE_SHAPES, ImageShape, loadFixtures } from "./store";

/** Every option: its value, default and what it does (the help is built from this, so it lists them all). */
const OPTIONS = {
  host: {
    type: "string",
    value: "ADDRESS",
    default: "127.0.0.1",
    help: "address to listen on (0.0.0.0 or :: announce a loopback endpoint)",
  },
  port: { type: "string", value: "N", default: "0", help: "port to listen on; 0 picks a free one" },
  fixtures: {
    type: "string",
    value: "FILE",
    default: "the built-in images",
    help: 'images (and faults, latency) to serve: {"shape": "vm", "images": [{"regionId": ..., ...the API\'s Image}], "faults": [...], "latencyMs": N}',
  },
  shape: {
    type: "string",
    value: "SHAPE",
    default: "coc-vm, or the fixture file's",
    help: "which API's Image to answer with: coc-vm (with snapshots) or vm (rootDeviceType, systemDisk, dataDisks, ...)",
  },
  "access-key": { type: "string", value: "KEY", default: "generated", help: "the access key to accept (with --secret-key)" },
  "secret-key": { type: "string", value: "KEY", default: "generated", help: "its secret key (with --access-key)" },
  "request-log-limit": {
    type: "string",
    value: "N",
    default: String(DEFAULT_REQUEST_LOG_LIMIT),
    help: "how many of the latest requests the log keeps",
  },
  help: { type: "boolean", short: "h", help: "print this help and exit" },
  version: { type: "boolean", short: "v", help: "print the version and exit" },
} as const;

const HELP = [
  "usage: jdcloud-image-emulator [options]",
  "",
  "A local JD Cloud VM API (describeImage, describeImages) that checks JDCLOUD2/JDCLOUD3 signatures, for",
  "previewing and testing Pulumi stacks offline. Prints one JSON line when ready —",
  '{"endpoint":"http://127.0.0.1:PORT","accessKey":"...","secretKey":"..."} — then one line per request on',
  "stderr; stops cleanly on SIGINT or SIGTERM.",
  "",
  "options:",
  ...Object.entries(OPTIONS).map(([name, o]) => {
    const flag = `${"short" in o ? `-${o.short}, ` : "    "}--${name}${"value" in o ? ` ${o.value}` : ""}`;
    return `  ${flag.padEnd(32)}${o.help}${"default" in o ? ` (default: ${o.default})` : ""}`;
  }),
  "",
  "example:",
  "  jdcloud-image-emulator --port 18777 --access-key CIACCESSKEY --secret-key CISECRETKEY --fixtures fixtures.json",
].join("\n");

/** This package's version, from its package.json (above dist/emulator/ once built, above emulator/ in a checkout). */
function version(): string {
  for (const up of ["../..", ".."]) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, up, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "pulumi-jdcloud-image" && pkg.version) return pkg.version;
    } catch {
      // Not here: the other layout.
    }
  }
  return "unknown";
}

/** The sentence for an option this bin does not have, with the one closest to it. */
function unknownOption(message: string): string {
  const given = /'(-{1,2}[^'\s]+)'/.exec(message)?.[1];
  if (given === undefined) return message;
  const suggestion = didYouMean(given.replace(/^-+/, ""), Object.keys(OPTIONS));
  return `unknown option '${given}'${suggestion ? `; ${suggestion.replace(/'([^']+)'/, "'--$1'")}` : ""}`;
}

async function main(argv: string[]): Promise<number> {
  let values: { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]["type"] extends "boolean" ? boolean : string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: Object.fromEntries(
        Object.entries(OPTIONS).map(([name, o]) => [name, "short" in o ? { type: o.type, short: o.short } : { type: o.type }]),
      ),
      strict: true,
    }) as { values: typeof values });
  } catch (err) {
    process.stderr.write(
      `jdcloud-image-emulator: ${unknownOption((err as Error).message)}\nRun jdcloud-image-emulator --help for every option.\n`,
    );
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP + "\n");
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${version()}\n`);
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

  const shape = values.shape ?? fixtures?.shape;
  if (shape !== undefined && !(IMAGE_SHAPES as readonly string[]).includes(shape)) {
    process.stderr.write(`jdcloud-image-emulator: --shape must be ${IMAGE_SHAPES.join(" or ")}, not '${shape}'\n`);
    return 2;
  }
  const emulator = await startEmulator({
    ...(shape !== undefined ? { imageShape: shape as ImageShape } : {}),
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
