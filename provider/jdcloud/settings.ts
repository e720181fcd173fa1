/**
 * Settings resolve in one function, once per call, first hit wins per field:
 * explicit options → Pulumi stack config (a seam: the caller passes a reader) →
 * environment → the `jdc` CLI's profile file → defaults. The result is frozen and
 * records where each value came from, for error messages.
 */
import * as os from "node:os";
import { inspect } from "node:util";
import {
  CONFIG_NAMESPACE,
  LEGACY_CONFIG_NAMESPACE,
  DEFAULT_ENDPOINT,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  ENV,
  JDC_DEFAULT_ENDPOINT,
  KEY_PATTERN,
  VM_SIGNING_SERVICE,
} from "./constants";
import { InvalidArgumentError, LookupTarget, MissingCredentialsError, clip } from "./errors";
import { JdcProfile, readJdcProfile } from "./jdcProfile";
import { REGION_ID_PATTERN } from "./wire";
import { debug } from "./log";
import { deploymentMemory, registerState } from "./state";

/**
 * Connection settings a call may set explicitly. Each field left `undefined` is
 * taken from stack config, the environment or the `jdc` profile, in that order.
 */
export interface LookupOptions {
  /** API endpoint. Default `https://coc-vm.jdcloud-api.com`; plain `http://` only to a loopback host. */
  readonly endpoint?: string;
  /** Access key ID. Also `jdcloud-image:accessKey`, `JDCLOUD_ACCESS_KEY`, or `access_key` in the jdc profile. */
  readonly accessKey?: string;
  /** Secret key. Also `jdcloud-image:secretKey` (a secret), `JDCLOUD_SECRET_KEY`, or `secret_key` in the jdc profile. */
  readonly secretKey?: string;
  /** Session token of temporary credentials. Also `jdcloud-image:securityToken` or `JDCLOUD_SESSION_TOKEN`. */
  readonly securityToken?: string;
  /** Region used when the arguments name none. Also `jdcloud-image:region`, `JDCLOUD_REGION`, `region_id` in the jdc profile. */
  readonly region?: string;
  /** Service name in the signature scope. Default: the endpoint's first host label without hyphens (`cocvm`), or `vm` for an IP host. */
  readonly signingService?: string;
  /** Timeout of each attempt, in milliseconds. Default 10000. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt on 429, 5xx and network errors. Default 3. */
  readonly maxRetries?: number;
}

/** Field names of {@link LookupOptions}. */
export type SettingName = keyof LookupOptions;

/** Resolved settings: every field known, each with where it came from. */
export interface Settings {
  readonly endpoint: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly securityToken?: string;
  readonly region?: string;
  readonly signingService: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  /** Where each value came from, e.g. `{ accessKey: "JDCLOUD_ACCESS_KEY" }`. */
  readonly origins: Readonly<Partial<Record<SettingName, string>>>;
}

/** Where settings may come from besides explicit options; every field is optional. */
/**
 * Who asks for settings, so that a message names only the places that caller can set them: the
 * TypeScript SDK in a program (`opts` too), the dynamic providers of `ImageLookup`/`ImageSearch`
 * (stack config, the environment, the profile), or the provider plugin any language calls (stack
 * config, an explicit provider's arguments as each language spells them, the environment, the profile).
 */
export type SettingsCaller = "sdk" | "dynamic-provider" | "plugin";

/** Where `caller` can set the credentials, or the default region, as the end of one sentence. */
export function settingPlaces(caller: SettingsCaller | undefined, what: "credentials" | "region"): string {
  const profile =
    what === "credentials" ? "a jdc CLI profile (~/.jdc/config, access_key and secret_key)" : "region_id in a jdc CLI profile";
  if (what === "region") {
    switch (caller ?? "sdk") {
      case "sdk":
        return `pass regionId, or set a default region in opts.region, with \`pulumi config set jdcloud-image:region cn-north-1\`, JDCLOUD_REGION, or ${profile}`;
      case "dynamic-provider":
        return `pass regionId, or set a default region with \`pulumi config set jdcloud-image:region cn-north-1\`, JDCLOUD_REGION, or ${profile}`;
      case "plugin":
        return (
          "pass regionId (region_id in Python, RegionId in Go), or set a default region with `pulumi config set jdcloud-image:region " +
          `cn-north-1\`, an explicit jdcloud-image provider's region, JDCLOUD_REGION, or ${profile}`
        );
    }
  }
  const config = "Pulumi stack config (jdcloud-image:accessKey, and jdcloud-image:secretKey with `pulumi config set --secret`)";
  const env = "the environment (JDCLOUD_ACCESS_KEY, JDCLOUD_SECRET_KEY)";
  switch (caller ?? "sdk") {
    case "sdk":
      return `set them in getImage's opts (accessKey, secretKey), in ${config}, in ${env}, or in ${profile}`;
    case "dynamic-provider":
      return `set them in ${config}, in ${env} of \`pulumi\`, or in ${profile}`;
    case "plugin":
      return (
        `set them in ${config}, as the arguments of an explicit jdcloud-image provider (accessKey and secretKey; access_key and ` +
        `secret_key in Python, AccessKey and SecretKey in Go), in ${env}, or in ${profile}`
      );
  }
}

export interface SettingsSources {
  /** Who asks (for messages); default `"sdk"`. */
  readonly caller?: SettingsCaller;
  /** Environment variables; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Home directory holding `.jdc/`; default `os.homedir()`. `null` skips the jdc profile. */
  readonly homeDir?: string | null;
  /** Reads a stack config value by its key without namespace (`secretKey` for `jdcloud-image:secretKey`). */
  readonly stackConfig?: (key: SettingName) => string | undefined;
}

/**
 * The type of each connection setting: what `opts` and the plugin's config are checked against.
 * (`LookupOptionsSchema` in settingsSchema.ts states the same for the plugin's schema; a test holds them equal.)
 */
export const SETTING_TYPES: Readonly<Record<SettingName, "string" | "number">> = Object.freeze({
  endpoint: "string",
  accessKey: "string",
  secretKey: "string",
  securityToken: "string",
  region: "string",
  signingService: "string",
  timeoutMs: "number",
  maxRetries: "number",
});
const FIELDS = Object.keys(SETTING_TYPES) as readonly SettingName[];
const ENV_OF: Partial<Record<SettingName, string>> = {
  endpoint: ENV.endpoint,
  accessKey: ENV.accessKey,
  secretKey: ENV.secretKey,
  securityToken: ENV.securityToken,
  region: ENV.region,
};
const PROFILE_KEY_OF: Partial<Record<SettingName, string>> = {
  accessKey: "access_key",
  secretKey: "secret_key",
  region: "region_id",
};

/**
 * The endpoint a jdc profile names (`scheme://endpoint`), unless it is jdc's own default, the
 * generic gateway `www.jdcloud-api.com`: `jdc configure add` writes that into every profile, and
 * our default, the VM API's own endpoint, serves the same calls. A profile written with
 * `jdc configure add --endpoint 127.0.0.1:PORT --scheme http` points us where it points jdc.
 */
function profileEndpoint(profile: JdcProfile): string | undefined {
  const endpoint = profile.values["endpoint"]?.trim();
  if (!endpoint || endpoint.replace(/^https?:\/\//, "").replace(/\/+$/, "") === JDC_DEFAULT_ENDPOINT) return undefined;
  if (/^https?:\/\//.test(endpoint)) return endpoint;
  return `${profile.values["scheme"]?.trim() || "https"}://${endpoint}`;
}

/** The stack config key of a setting: `jdcloud-image:secretKey` for `secretKey`. */
export function configKey(field: SettingName): string {
  return `${CONFIG_NAMESPACE}:${field}`;
}

/** Every setting's name, in the order settings are resolved and shown. */
export const SETTING_NAMES: readonly SettingName[] = FIELDS;

/**
 * Reads a setting from stack config: `jdcloud-image:<setting>`, the package's one namespace (the
 * provider plugin's, and so every language's), else the `jdcloud:<setting>` key of releases before
 * 0.2, with a warning (once per key) that names the key to set instead.
 */
export function readStackConfig(
  get: (key: string) => string | undefined,
  field: SettingName,
  warn: (message: string) => void,
): string | undefined {
  const value = get(configKey(field));
  if (value !== undefined) return value;
  const legacy = get(`${LEGACY_CONFIG_NAMESPACE}:${field}`);
  const warned = warnedLegacy();
  if (legacy !== undefined && !warned.has(field)) {
    warned.add(field);
    const secret = SECRET_SETTINGS.includes(field);
    const key = configKey(field);
    warn(
      `The stack config key ${LEGACY_CONFIG_NAMESPACE}:${field} is deprecated (it is still read for now): set ${key} instead` +
        `${secret ? `, as a secret, with \`pulumi config set --secret ${key} <value>\`` : ` with \`pulumi config set ${key} <value>\``}, ` +
        `then \`pulumi config rm ${LEGACY_CONFIG_NAMESPACE}:${field}\`; ${CONFIG_NAMESPACE} is the namespace every language's provider reads.`,
    );
  }
  return legacy;
}
const warnedLegacy = deploymentMemory(
  {
    name: "settings: deprecated config keys warned about",
    holds: "the settings read from a pre-0.2 jdcloud:<setting> key, so each is warned about once",
    bound: "one per setting (8)",
    size: (memory) => memory.size,
  },
  () => new Set<SettingName>(),
);

/** Resolves settings for one call; throws `InvalidArgumentError` on a bad value, sending nothing. */
export function resolveSettings(options: LookupOptions = {}, sources: SettingsSources = {}, target: LookupTarget = {}): Settings {
  checkOptions(options);
  const env = sources.env ?? process.env;
  const origins: Partial<Record<SettingName, string>> = {};
  const raw: Partial<Record<SettingName, string | number>> = {};
  let profile: JdcProfile | undefined;

  for (const field of FIELDS) {
    const explicit = options[field];
    if (explicit !== undefined) {
      raw[field] = explicit;
      origins[field] = OPTION_ORIGIN[field];
      continue;
    }
    const fromConfig = sources.stackConfig?.(field);
    if (fromConfig !== undefined) {
      raw[field] = fromConfig;
      origins[field] = CONFIG_ORIGIN[field];
      continue;
    }
    const envName = ENV_OF[field];
    // An empty value is a value from every source (then refused below, naming its source): an
    // empty JDCLOUD_SECRET_KEY is most often a CI secret that did not expand, and falling through
    // to another source would sign with credentials nobody meant.
    const fromEnv = envName ? env[envName] : undefined;
    if (envName && fromEnv !== undefined) {
      raw[field] = fromEnv;
      origins[field] = envName;
      continue;
    }
    const profileKey = PROFILE_KEY_OF[field];
    if ((profileKey || field === "endpoint") && sources.homeDir !== null) {
      profile ??= readJdcProfile(sources.homeDir ?? os.homedir(), env);
      const fromProfile = profile === undefined ? undefined : profileKey ? profile.values[profileKey] : profileEndpoint(profile);
      if (fromProfile !== undefined) {
        raw[field] = fromProfile;
        origins[field] = `jdc profile '${profile?.name}' (${profile?.file})`;
      }
    }
  }

  // The same values from the same places make the same settings: validated once, then shared.
  const recentlyResolved = resolved();
  for (const recent of recentlyResolved) {
    if (FIELDS.every((f) => recent.raw[f] === raw[f] && recent.origins[f] === origins[f])) return recent.settings;
  }
  const settings = validateSettings(raw, origins, target, sources.caller);
  debug(
    () =>
      `settings for ${settings.endpoint}: ` +
      FIELDS.filter((f) => origins[f] !== undefined)
        .map((f) => `${f} from ${origins[f]}`)
        .join(", ") +
      `${settings.region ? `; default region ${settings.region}` : ""}; signing service ${settings.signingService}`,
  );
  recentlyResolved.unshift({ raw, origins, settings });
  if (recentlyResolved.length > RECENT_LIMIT) recentlyResolved.pop();
  return settings;
}

// The last few resolutions with the values and sources they came from, newest first. A process
// uses one or a few settings; they hold the secret key as the Settings do, in process memory only.
// Per deployment: the next one resolves (and logs where each setting came from) afresh.
const RECENT_LIMIT = 4;
const resolved = deploymentMemory(
  {
    name: "settings: resolved settings",
    holds: "validated settings by the values and sources they came from (inputs are read afresh each turn of the event loop)",
    bound: `${RECENT_LIMIT}, the newest kept`,
    size: (memory) => memory.length,
  },
  (): Array<{
    readonly raw: Partial<Record<SettingName, string | number>>;
    readonly origins: Partial<Record<SettingName, string>>;
    readonly settings: Settings;
  }> => [],
);
const OPTION_ORIGIN = Object.fromEntries(FIELDS.map((f) => [f, `opts.${f}`])) as Record<SettingName, string>;
const CONFIG_ORIGIN = Object.fromEntries(FIELDS.map((f) => [f, configKey(f)])) as Record<SettingName, string>;

/** Checks gathered values and builds frozen settings; throws `InvalidArgumentError` on a bad value. */
function validateSettings(
  raw: Partial<Record<SettingName, string | number>>,
  origins: Partial<Record<SettingName, string>>,
  target: LookupTarget,
  caller: SettingsCaller | undefined,
): Settings {
  const endpoint = checkEndpoint(raw.endpoint === undefined ? DEFAULT_ENDPOINT : String(raw.endpoint), origins.endpoint);
  const accessKey = headerSafe(raw.accessKey, "accessKey", origins.accessKey);
  const secretKey = headerSafe(raw.secretKey, "secretKey", origins.secretKey);
  const missing = [accessKey === undefined ? "access key" : "", secretKey === undefined ? "secret key" : ""].filter(Boolean);
  if (missing.length > 0 || accessKey === undefined || secretKey === undefined) {
    throw new MissingCredentialsError(missing, target, settingPlaces(caller, "credentials"));
  }

  const region = raw.region === undefined ? undefined : checkRegion(String(raw.region), origins.region);
  const securityToken = headerSafe(raw.securityToken, "securityToken", origins.securityToken);
  const signingService =
    raw.signingService === undefined
      ? defaultSigningService(endpoint)
      : checkSigningService(String(raw.signingService), origins.signingService);
  const timeoutMs = integer(raw.timeoutMs, "timeoutMs", origins.timeoutMs, 1, 600_000) ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = integer(raw.maxRetries, "maxRetries", origins.maxRetries, 0, 10) ?? DEFAULT_MAX_RETRIES;

  return new ResolvedSettings({
    endpoint,
    accessKey,
    secretKey,
    ...(securityToken !== undefined ? { securityToken } : {}),
    ...(region !== undefined ? { region } : {}),
    signingService,
    timeoutMs,
    maxRetries,
    origins: Object.freeze({ ...origins }),
  });
}

/** Keeps secrets out of `JSON.stringify`, `console.log`, `util.inspect` and object spreads. */
class ResolvedSettings implements Settings {
  readonly endpoint: string;
  readonly accessKey: string;
  readonly signingService: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly region?: string;
  readonly origins: Readonly<Partial<Record<SettingName, string>>>;
  readonly #secretKey: string;
  readonly #securityToken: string | undefined;

  constructor(fields: Settings) {
    this.endpoint = fields.endpoint;
    this.accessKey = fields.accessKey;
    this.signingService = fields.signingService;
    this.timeoutMs = fields.timeoutMs;
    this.maxRetries = fields.maxRetries;
    if (fields.region !== undefined) this.region = fields.region;
    this.origins = fields.origins;
    this.#secretKey = fields.secretKey;
    this.#securityToken = fields.securityToken;
    Object.freeze(this);
  }

  get secretKey(): string {
    return this.#secretKey;
  }

  get securityToken(): string | undefined {
    return this.#securityToken;
  }

  toJSON(): Record<string, unknown> {
    const visible: Record<string, unknown> = Object.fromEntries(Object.entries(this));
    visible["secretKey"] = "[redacted]";
    if (this.#securityToken !== undefined) visible["securityToken"] = "[redacted]";
    return visible;
  }

  [inspect.custom](): Record<string, unknown> {
    return this.toJSON();
  }
}

/** The settings that are secrets: marked secret in the schema, so every SDK encrypts them in state. */
export const SECRET_SETTINGS: readonly SettingName[] = ["secretKey", "securityToken"];

/** Refuses what is not a {@link LookupOptions}: another type, a name it does not have, a field of the wrong type. */
function checkOptions(options: unknown): void {
  if (options === undefined || options === null) return;
  if (typeof options !== "object" || Array.isArray(options)) {
    throw new InvalidArgumentError(
      "opts",
      `${Array.isArray(options) ? "an array" : `a ${typeof options}`} was given`,
      "pass an object of connection settings, or nothing",
    );
  }
  for (const name in options) {
    if (!Object.hasOwn(options, name)) continue;
    const value = (options as Record<string, unknown>)[name];
    const wanted = Object.hasOwn(SETTING_TYPES, name) ? SETTING_TYPES[name as SettingName] : undefined;
    if (wanted === undefined) {
      throw new InvalidArgumentError(
        `opts.${clip(name, 40)}`,
        "it is not a connection setting",
        `use one of ${FIELDS.join(", ")} (names are case-sensitive)`,
      );
    }
    if (value === undefined) continue;
    if (typeof value !== wanted) {
      throw new InvalidArgumentError(`opts.${name}`, `a ${value === null ? "null" : typeof value} was given`, `pass a ${wanted}`);
    }
  }
}

// A key or token goes into a request header: printable ASCII, no spaces. Checked before any
// request (a character outside Latin-1 would otherwise fail inside Node's HTTP client and look
// like a network failure); the message names the setting and its source, never its value.

function headerSafe(value: string | number | undefined, name: SettingName, origin?: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "") {
    throw new InvalidArgumentError(name, "it is empty", `set a non-empty ${name} or leave it unset`, {}, origin);
  }
  if (!KEY_PATTERN.test(value)) {
    throw new InvalidArgumentError(
      name,
      /\s/.test(value) ? "it contains white space" : "it contains characters other than printable ASCII",
      `set the ${name} exactly as JD Cloud issued it (letters, digits and punctuation)`,
      {},
      origin,
    );
  }
  return value;
}

function checkRegion(region: string, origin?: string): string {
  if (!REGION_ID_PATTERN.test(region)) {
    throw new InvalidArgumentError("region", `'${clip(region)}' is not a JD Cloud region ID`, "use one such as 'cn-north-1'", {}, origin);
  }
  return region;
}

function checkSigningService(service: string, origin?: string): string {
  if (!/^[a-z0-9-]{1,32}$/.test(service)) {
    throw new InvalidArgumentError(
      "signingService",
      `'${clip(service)}' is not a service name`,
      "use lowercase letters and digits, e.g. 'vm'",
      {},
      origin,
    );
  }
  return service;
}

function integer(
  value: string | number | undefined,
  name: SettingName,
  origin: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === "number" ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new InvalidArgumentError(
      name,
      `'${clip(String(value))}' is not a whole number from ${min} to ${max}`,
      `set one in that range`,
      {},
      origin,
    );
  }
  return n;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Whether a URL host is on this machine (the only place plain HTTP may go). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

const checkedEndpoints = new Map<string, string>();
const CHECKED_ENDPOINTS_LIMIT = 64;
registerState({
  name: "settings: checked endpoints",
  holds: "an endpoint as given and its normalized form",
  bound: `${CHECKED_ENDPOINTS_LIMIT} endpoints, then no more are remembered`,
  lifetime: "the process",
  size: () => checkedEndpoints.size,
  reset: () => checkedEndpoints.clear(),
});

/** Validates and normalizes an endpoint; remembers good ones (a program asks for the same few endpoints). */
function checkEndpoint(value: string, origin?: string): string {
  const known = checkedEndpoints.get(value);
  if (known !== undefined) return known;
  const normalized = parseEndpoint(value, origin);
  if (checkedEndpoints.size < CHECKED_ENDPOINTS_LIMIT) checkedEndpoints.set(value, normalized);
  return normalized;
}

function parseEndpoint(value: string, origin?: string): string {
  const refuse = (problem: string, fix: string): InvalidArgumentError => new InvalidArgumentError("endpoint", problem, fix, {}, origin);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refuse(`'${clip(withoutUserinfo(value))}' is not a URL`, "use one such as 'https://coc-vm.jdcloud-api.com'");
  }
  // Echo only scheme, host and port: userinfo may hold a password, a query a token.
  const shown = `${url.protocol}//${url.host}`;
  if (url.protocol !== "https:" && url.protocol !== "http:") throw refuse(`'${clip(url.protocol)}' is not http(s)`, "use an https:// URL");
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    throw refuse(
      `plain http to ${url.hostname} would send signed requests in the clear`,
      "use https://, or http:// only to a loopback host such as the bundled emulator",
    );
  }
  if (url.username || url.password)
    throw refuse(`${clip(shown)} has user credentials in it`, "give only scheme, host and port; credentials go in accessKey and secretKey");
  if (url.search || url.hash || (url.pathname !== "/" && url.pathname !== "")) {
    throw refuse(`${clip(shown)} has a path, query or fragment`, "give only scheme, host and port");
  }
  return shown;
}

/**
 * A string that is not a URL, made safe to echo: a query or fragment (which may hold a token) cut
 * off, and everything between the scheme and the last `@` (user credentials, whatever characters a
 * password holds, `/` and `@` among them) taken out.
 */
export function withoutUserinfo(value: string): string {
  let text = value.replace(/[?#][\s\S]*$/, "");
  const scheme = text.indexOf("://");
  const start = scheme >= 0 ? scheme + 3 : 0;
  const at = text.lastIndexOf("@");
  if (at >= start) text = text.slice(0, start) + text.slice(at + 1);
  return text;
}

/** The default signing service for an endpoint: first host label without hyphens, `vm` for an IP host. */
export function defaultSigningService(endpoint: string): string {
  const host = endpoint.replace(/^https?:\/\//, "").replace(/:\d+$/, "");
  if (/^[\d.]+$/.test(host) || host.startsWith("[") || host === "localhost") return VM_SIGNING_SERVICE;
  return (host.split(".")[0] ?? VM_SIGNING_SERVICE).replace(/-/g, "") || VM_SIGNING_SERVICE;
}
