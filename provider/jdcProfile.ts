/**
 * The official `jdc` CLI's profiles: `~/.jdc/config` (INI, one section per
 * profile, keys `access_key`, `secret_key`, `region_id`, ...), the current one
 * named by `JDCLOUD_PROFILE`, else `~/.jdc/current`, else `default`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ENV, JDC_CONFIG_FILE, JDC_CURRENT_FILE, JDC_DEFAULT_PROFILE } from "./constants";

/** One profile of the jdc CLI's config file, and where it came from. */
export interface JdcProfile {
  readonly name: string;
  readonly file: string;
  readonly values: Readonly<Record<string, string>>;
}

/** Reads the jdc CLI profile: `JDCLOUD_PROFILE`, else `~/.jdc/current`, else `default`. */
export function readJdcProfile(homeDir: string, env: Readonly<Record<string, string | undefined>>): JdcProfile | undefined {
  const file = path.join(homeDir, JDC_CONFIG_FILE);
  const text = readIfExists(file);
  if (text === undefined) return undefined;
  const current = readIfExists(path.join(homeDir, JDC_CURRENT_FILE))?.trim();
  const name = env[ENV.profile] || current || JDC_DEFAULT_PROFILE;
  const values = parseIni(text)[name];
  return values ? { name, file, values } : undefined;
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw err;
  }
}

/** A small INI reader: `[section]`, `key = value`, `;`/`#` comments. */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith(";") || trimmed.startsWith("#")) continue;
    const section = /^\[\s*([^\]]+?)\s*\]$/.exec(trimmed);
    if (section?.[1]) {
      current = sections[section[1]] ??= {};
      continue;
    }
    const eq = trimmed.indexOf("=");
    if (current && eq > 0) current[trimmed.slice(0, eq).trim()] = trimmed.slice(eq + 1).trim();
  }
  return sections;
}
