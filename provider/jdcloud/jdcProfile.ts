/**
 * The official `jdc` CLI's profiles: `~/.jdc/config` (INI, one section per
 * profile, keys `access_key`, `secret_key`, `region_id`, ...), the current one
 * named by `JDCLOUD_PROFILE`, else `~/.jdc/current`, else `default`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ENV, JDC_CONFIG_FILE, JDC_CURRENT_FILE, JDC_DEFAULT_PROFILE } from "./constants";
import { InvalidArgumentError, clip } from "./errors";

/** One profile of the jdc CLI's config file, and where it came from. */
export interface JdcProfile {
  readonly name: string;
  readonly file: string;
  readonly values: Readonly<Record<string, string>>;
}

/**
 * Reads the jdc CLI profile: `JDCLOUD_PROFILE`, else `~/.jdc/current`, else `default`. No file, or
 * no `default` profile, is no profile; a profile named by `JDCLOUD_PROFILE` or `~/.jdc/current`
 * that the file lacks, or a file that cannot be read, is an `InvalidArgumentError` naming both.
 */
export function readJdcProfile(homeDir: string, env: Readonly<Record<string, string | undefined>>): JdcProfile | undefined {
  const file = path.join(homeDir, JDC_CONFIG_FILE);
  const currentFile = path.join(homeDir, JDC_CURRENT_FILE);
  const fromEnv = env[ENV.profile] || undefined;
  // jdc writes `current` without a newline; hand-written ones may have one.
  const current = fromEnv === undefined ? readIfExists(currentFile)?.trim() || undefined : undefined;
  const named = fromEnv ?? current;
  const text = readIfExists(file);
  const name = named ?? JDC_DEFAULT_PROFILE;
  const values = text === undefined ? undefined : parseIni(text)[name];
  if (values) return { name, file, values };
  if (named === undefined) return undefined;
  const namedBy = fromEnv !== undefined ? ENV.profile : currentFile;
  throw new InvalidArgumentError(
    "profile",
    `${namedBy} names the jdc profile '${clip(name)}', but ${text === undefined ? `${file} does not exist` : `${file} has no [${clip(name)}] section`}`,
    `run \`jdc configure add --profile ${clip(name)}\`, or name an existing profile`,
    {},
    namedBy,
  );
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new InvalidArgumentError("profile", `${file} cannot be read (${code ?? "unknown error"})`, "fix or remove the file", {}, file);
  }
}

/** A small INI reader: `[section]`, `key = value`, `;`/`#` comments. */
export function parseIni(text: string): Record<string, Record<string, string>> {
  // Objects without a prototype: a section or key named `__proto__` is just a name.
  const sections: Record<string, Record<string, string>> = Object.create(null) as Record<string, Record<string, string>>;
  let current: Record<string, string> | undefined;
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith(";") || trimmed.startsWith("#")) continue;
    const section = /^\[\s*([^\]]+?)\s*\]$/.exec(trimmed);
    if (section?.[1]) {
      current = sections[section[1]] ??= Object.create(null) as Record<string, string>;
      continue;
    }
    const eq = trimmed.indexOf("=");
    if (current && eq > 0) current[trimmed.slice(0, eq).trim()] = trimmed.slice(eq + 1).trim();
  }
  return sections;
}
