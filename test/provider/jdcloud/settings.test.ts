import { strict as assert } from "node:assert";
import { clearImageCache } from "../../../provider/jdcloud/client";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { inspect } from "node:util";
import { InvalidArgumentError, MissingCredentialsError } from "../../../provider/jdcloud/errors";
import { parseIni } from "../../../provider/jdcloud/jdcProfile";
import { defaultSigningService, readStackConfig, resolveSettings } from "../../../provider/jdcloud/settings";

function jdcHome(config: string, current?: string): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "jdc-home-"));
  fs.mkdirSync(path.join(home, ".jdc"));
  fs.writeFileSync(path.join(home, ".jdc", "config"), config);
  if (current !== undefined) fs.writeFileSync(path.join(home, ".jdc", "current"), current);
  return home;
}

const PROFILES = `
[default]
access_key = DEFAULTAK
secret_key = DEFAULTSK
region_id = cn-north-1

[prod]
access_key = PRODAK
secret_key = PRODSK
region_id = cn-east-2
`;

describe("settings", () => {
  it("takes each field from the first source that has it: opts, stack config, environment, jdc profile", () => {
    const s = resolveSettings(
      { accessKey: "OPTAK" },
      {
        env: { JDCLOUD_ACCESS_KEY: "ENVAK", JDCLOUD_SECRET_KEY: "ENVSK", JDCLOUD_REGION: "cn-south-1" },
        stackConfig: (k) => ({ secretKey: "CFGSK", endpoint: "https://vm.example.com" })[k as string],
        homeDir: jdcHome(PROFILES),
      },
    );
    assert.equal(s.accessKey, "OPTAK");
    assert.equal(s.secretKey, "CFGSK");
    assert.equal(s.endpoint, "https://vm.example.com");
    assert.equal(s.region, "cn-south-1");
    assert.deepEqual(
      { ...s.origins },
      {
        accessKey: "opts.accessKey",
        secretKey: "jdcloud-image:secretKey",
        endpoint: "jdcloud-image:endpoint",
        region: "JDCLOUD_REGION",
      },
    );
  });

  it("reads the jdc profile named by JDCLOUD_PROFILE, else ~/.jdc/current, else default", () => {
    const home = jdcHome(PROFILES, "prod\n");
    assert.equal(resolveSettings({}, { env: {}, homeDir: home }).accessKey, "PRODAK");
    assert.equal(resolveSettings({}, { env: { JDCLOUD_PROFILE: "default" }, homeDir: home }).region, "cn-north-1");
    assert.equal(resolveSettings({}, { env: {}, homeDir: jdcHome(PROFILES) }).secretKey, "DEFAULTSK");
    assert.match(resolveSettings({}, { env: {}, homeDir: home }).origins.accessKey ?? "", /jdc profile 'prod'/);
  });

  it("uses the defaults: public endpoint, 10 s, 3 retries, signing service from the host", () => {
    const s = resolveSettings({ accessKey: "A", secretKey: "S" }, { env: {}, homeDir: null });
    assert.equal(s.endpoint, "https://coc-vm.jdcloud-api.com");
    assert.equal(s.timeoutMs, 10_000);
    assert.equal(s.maxRetries, 3);
    assert.equal(s.signingService, "cocvm");
    assert.equal(s.region, undefined);
    assert.equal(defaultSigningService("http://127.0.0.1:8080"), "vm");
    assert.equal(defaultSigningService("https://vm.jdcloud-api.com"), "vm");
  });

  it("parses numeric settings from stack config strings and refuses nonsense", () => {
    const s = resolveSettings(
      { accessKey: "A", secretKey: "S" },
      { env: {}, homeDir: null, stackConfig: (k) => ({ timeoutMs: "2500", maxRetries: "0" })[k as string] },
    );
    assert.equal(s.timeoutMs, 2500);
    assert.equal(s.maxRetries, 0);
    assert.throws(
      () => resolveSettings({ accessKey: "A", secretKey: "S", maxRetries: -1 }, { env: {}, homeDir: null }),
      InvalidArgumentError,
    );
    assert.throws(
      () =>
        resolveSettings(
          { accessKey: "A", secretKey: "S" },
          { env: {}, homeDir: null, stackConfig: (k) => (k === "timeoutMs" ? "soon" : undefined) },
        ),
      /jdcloud-image:timeoutMs/,
    );
  });

  it("names every place to set credentials when none are found", () => {
    const err = (() => {
      try {
        resolveSettings({}, { env: {}, homeDir: null });
      } catch (e) {
        return e as Error;
      }
      throw new Error("no error");
    })();
    assert.ok(err instanceof MissingCredentialsError);
    assert.ok(err instanceof InvalidArgumentError);
    for (const place of [
      "opts",
      "JDCLOUD_ACCESS_KEY",
      "JDCLOUD_SECRET_KEY",
      "jdcloud-image:accessKey",
      "jdcloud-image:secretKey",
      "~/.jdc/config",
    ]) {
      assert.ok(err.message.includes(place), `${place} in ${err.message}`);
    }
  });

  it("treats an explicit empty string as invalid, not absent", () => {
    assert.throws(
      () => resolveSettings({ accessKey: "", secretKey: "S" }, { env: { JDCLOUD_ACCESS_KEY: "ENVAK" }, homeDir: null }),
      (e: unknown) => e instanceof InvalidArgumentError && /accessKey \(from opts\.accessKey\)/.test(e.message),
    );
  });

  it("treats an empty value the same from every source: an error naming where it came from", () => {
    const sources = [
      { opts: { accessKey: "" }, origin: "opts.accessKey" },
      { env: { JDCLOUD_ACCESS_KEY: "", JDCLOUD_SECRET_KEY: "SK" }, origin: "JDCLOUD_ACCESS_KEY" },
      { config: { accessKey: "" }, origin: "jdcloud-image:accessKey" },
      { home: jdcHome("[default]\naccess_key =\nsecret_key = SK\n"), origin: "jdc profile 'default'" },
    ];
    for (const source of sources) {
      assert.throws(
        () =>
          resolveSettings(source.opts ?? {}, {
            env: source.env ?? { JDCLOUD_SECRET_KEY: "SK" },
            stackConfig: (k) => (source.config as Record<string, string> | undefined)?.[k],
            homeDir: source.home ?? null,
          }),
        (err: unknown) =>
          err instanceof InvalidArgumentError &&
          err.argument === "accessKey" &&
          (err.source ?? "").startsWith(source.origin) &&
          /empty/.test(err.message),
        source.origin,
      );
    }
  });

  it("takes the endpoint a jdc profile names, with its scheme, unless it is jdc's generic default", () => {
    const keys = "access_key = AK\nsecret_key = SK\nregion_id = cn-north-1\n";
    const emulatorProfile = jdcHome(`[default]\n${keys}endpoint = 127.0.0.1:18900\nscheme = http\ntimeout = 20\n`);
    const fromEmulator = resolveSettings({}, { env: {}, homeDir: emulatorProfile });
    assert.equal(fromEmulator.endpoint, "http://127.0.0.1:18900");
    assert.match(fromEmulator.origins.endpoint ?? "", /^jdc profile 'default'/);
    const generic = resolveSettings(
      {},
      { env: {}, homeDir: jdcHome(`[default]\n${keys}endpoint = www.jdcloud-api.com\nscheme = https\n`) },
    );
    assert.equal(generic.endpoint, "https://coc-vm.jdcloud-api.com");
    assert.equal(generic.origins.endpoint, undefined);
    const overridden = resolveSettings({}, { env: { JDCLOUD_ENDPOINT: "http://localhost:1" }, homeDir: emulatorProfile });
    assert.equal(overridden.endpoint, "http://localhost:1");
  });

  it("refuses a named jdc profile that does not exist, naming the profile and the file", () => {
    const home = jdcHome(PROFILES);
    assert.throws(
      () => resolveSettings({}, { env: { JDCLOUD_PROFILE: "nosuch" }, homeDir: home }),
      (err: unknown) =>
        err instanceof InvalidArgumentError &&
        err.argument === "profile" &&
        err.source === "JDCLOUD_PROFILE" &&
        err.message.includes("'nosuch'") &&
        err.message.includes(path.join(home, ".jdc", "config")),
    );
    // Named by ~/.jdc/current, as `jdc` writes it: without a newline.
    assert.throws(
      () => resolveSettings({}, { env: {}, homeDir: jdcHome(PROFILES, "gone") }),
      /jdc profile 'gone'.*has no \[gone\] section/,
    );
    // No name anywhere and no default profile: no profile, so the usual missing-credentials error.
    assert.throws(() => resolveSettings({}, { env: {}, homeDir: jdcHome("[prod]\naccess_key = A\n") }), MissingCredentialsError);
  });

  it("turns an unreadable jdc config into a typed error naming the file", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "jdc-home-"));
    fs.mkdirSync(path.join(home, ".jdc", "config"), { recursive: true });
    assert.throws(
      () => resolveSettings({}, { env: {}, homeDir: home }),
      (err: unknown) =>
        err instanceof InvalidArgumentError && err.message.includes(path.join(home, ".jdc", "config")) && /EISDIR/.test(err.message),
    );
  });

  it("never echoes an endpoint's user credentials, query or fragment", () => {
    for (const endpoint of [
      "http://user:SECRETPW@127.0.0.1:8080",
      "https://u:SECRETPW@vm.example.com/?token=SECRETPW",
      "not a url://u:SECRETPW@x",
    ]) {
      assert.throws(
        () => resolveSettings({ endpoint, accessKey: "AK", secretKey: "SK" }, { env: {}, homeDir: null }),
        (err: unknown) => err instanceof InvalidArgumentError && err.argument === "endpoint" && !err.message.includes("SECRETPW"),
        endpoint,
      );
    }
  });

  it("refuses plain http except to loopback, and endpoints with paths", () => {
    const creds = { accessKey: "A", secretKey: "S" };
    for (const ok of ["http://127.0.0.1:9000", "http://localhost:1", "http://[::1]:80", "https://x.example.com/"]) {
      assert.ok(resolveSettings({ ...creds, endpoint: ok }, { env: {}, homeDir: null }).endpoint);
    }
    for (const bad of [
      "http://10.0.0.1",
      "http://example.com",
      "ftp://x",
      "not a url",
      "https://x.example.com/v1",
      "https://u:p@x.example.com",
    ]) {
      assert.throws(() => resolveSettings({ ...creds, endpoint: bad }, { env: {}, homeDir: null }), InvalidArgumentError, bad);
    }
  });

  it("never shows the secret key when settings are logged or serialized", () => {
    const s = resolveSettings({ accessKey: "A", secretKey: "SUPERSECRET123", securityToken: "TOKEN456" }, { env: {}, homeDir: null });
    assert.equal(s.secretKey, "SUPERSECRET123");
    for (const text of [JSON.stringify(s), inspect(s), String(Object.values(s)), Object.keys(s).join(",")]) {
      assert.ok(!text.includes("SUPERSECRET123"), text);
      assert.ok(!text.includes("TOKEN456"), text);
    }
  });

  it("never shows a bad secret key in the error about it", () => {
    assert.throws(
      () => resolveSettings({ accessKey: "A", secretKey: "has space secret" }, { env: {}, homeDir: null }),
      (e: unknown) => e instanceof InvalidArgumentError && !e.message.includes("has space secret"),
    );
  });

  it("reads INI with comments and spaces", () => {
    assert.deepEqual(JSON.parse(JSON.stringify(parseIni("; c\n[a]\nx = 1\n# d\n[ b ]\ny=2 \n"))), { a: { x: "1" }, b: { y: "2" } });
  });

  it("reads a section or key named __proto__ as a name, leaving Object.prototype alone", () => {
    const parsed = parseIni("[__proto__]\npolluted = yes\n[default]\n__proto__ = x\naccess_key = AK\n");
    assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
    assert.equal(parsed["__proto__"]?.["polluted"], "yes");
    assert.equal(parsed["default"]?.["access_key"], "AK");
  });
});

describe("stack config keys", () => {
  // Each deprecated key is warned about once per deployment: every test starts a fresh memory.
  beforeEach(() => clearImageCache());
  it("reads jdcloud-image:<setting>, and the pre-0.2 jdcloud:<setting> only when it is unset, warning once per key", () => {
    const config: Record<string, string> = {
      "jdcloud-image:region": "cn-east-2",
      "jdcloud:region": "cn-north-1",
      "jdcloud:accessKey": "AK",
    };
    const warnings: string[] = [];
    const read = (field: "region" | "accessKey" | "secretKey") =>
      readStackConfig(
        (k) => config[k],
        field,
        (m) => warnings.push(m),
      );
    assert.equal(read("region"), "cn-east-2");
    assert.deepEqual(warnings, []);
    assert.equal(read("accessKey"), "AK");
    assert.equal(read("accessKey"), "AK");
    assert.equal(read("secretKey"), undefined);
    assert.equal(warnings.length, 1);
    assert.equal(
      warnings[0],
      "The stack config key jdcloud:accessKey is deprecated (it is still read for now): set jdcloud-image:accessKey instead with " +
        "`pulumi config set jdcloud-image:accessKey <value>`, then `pulumi config rm jdcloud:accessKey`; jdcloud-image is the namespace " +
        "every language's provider reads.",
    );
  });

  it("tells to set the new key of a secret setting with --secret", () => {
    const warnings: string[] = [];
    readStackConfig(
      (k) => ({ "jdcloud:secretKey": "SK", "jdcloud:securityToken": "TOKEN" })[k],
      "secretKey",
      (m) => warnings.push(m),
    );
    readStackConfig(
      (k) => ({ "jdcloud:securityToken": "TOKEN" })[k],
      "securityToken",
      (m) => warnings.push(m),
    );
    assert.equal(warnings.length, 2);
    assert.match(
      warnings[0] ?? "",
      /set jdcloud-image:secretKey instead, as a secret, with `pulumi config set --secret jdcloud-image:secretKey <value>`/,
    );
    assert.match(warnings[1] ?? "", /`pulumi config set --secret jdcloud-image:securityToken <value>`/);
    assert.ok(!warnings.join("\n").includes("SK") && !warnings.join("\n").includes("TOKEN"), "never the value");
  });
});
