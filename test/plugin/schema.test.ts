import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { packageManifest, pluginDownloadURL, schemaText } from "../../plugin/schemaGen";
import { FUNCTIONS } from "../../plugin/functions";
import { SETTING_TYPES } from "../../provider/jdcloud/settings";
import { REPO_ROOT } from "../support/providerText";

interface Spec {
  version: string;
  config: { variables: Record<string, { description?: string; secret?: boolean; type?: string }> };
  types: Record<string, { properties: Record<string, { description?: string }> }>;
  functions: Record<
    string,
    {
      description?: string;
      inputs: { properties: Record<string, { description?: string }> };
      outputs: { properties: Record<string, { description?: string }> };
    }
  >;
}

describe("the package schema (plugin/schema.json)", function () {
  this.timeout(60_000);
  const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
  const committed = fs.readFileSync(path.join(REPO_ROOT, "plugin", "schema.json"), "utf8");
  const spec = JSON.parse(committed) as Spec;

  it("is what the code generates (run `npm run gen-sdk` after changing a schema or its TSDoc)", () => {
    assert.equal(committed, schemaText(packageManifest()));
  });

  it("names the release page of package.json's repository as where the engine downloads the plugin", () => {
    const manifest = packageManifest();
    assert.equal(
      (spec as Spec & { pluginDownloadURL?: string }).pluginDownloadURL,
      "https://github.com/pulumi-jdcloud-image/pulumi-jdcloud-image/releases/download/v${VERSION}/",
    );
    assert.equal(pluginDownloadURL(manifest.repository), (spec as Spec & { pluginDownloadURL?: string }).pluginDownloadURL);
  });

  it("reads the repository in every form npm accepts, and refuses one that is not on GitHub", () => {
    const page = "https://github.com/o/n/releases/download/v${VERSION}/";
    for (const form of [
      "git+https://github.com/o/n.git",
      "https://github.com/o/n",
      "git@github.com:o/n.git",
      "github:o/n",
      "o/n",
      { url: "git+ssh://git@github.com/o/n.git" },
    ]) {
      assert.equal(pluginDownloadURL(form), page, JSON.stringify(form));
    }
    assert.throws(
      () => pluginDownloadURL("https://gitlab.com/o/n.git"),
      /names no GitHub repository; set it to "git\+https:\/\/github\.com\/OWNER\/NAME\.git"/,
    );
    assert.throws(() => pluginDownloadURL(undefined), /repository \(null\) names no GitHub repository/);
  });

  it("has the version in package.json", () => {
    assert.equal(spec.version, version);
  });

  it("declares every function the plugin serves", () => {
    assert.deepEqual(
      Object.keys(spec.functions).sort(),
      Object.keys(FUNCTIONS)
        .map((f) => `jdcloud-image:index:${f}`)
        .sort(),
    );
  });

  it("describes every property a user sees, from the TSDoc", () => {
    const missing: string[] = [];
    const check = (where: string, props: Record<string, { description?: string }>): void => {
      for (const [name, prop] of Object.entries(props)) if (!prop.description) missing.push(`${where}.${name}`);
    };
    check("config", spec.config.variables);
    for (const [token, type] of Object.entries(spec.types)) check(token, type.properties);
    for (const [token, fn] of Object.entries(spec.functions)) {
      if (!fn.description) missing.push(token);
      check(`${token}.inputs`, fn.inputs.properties);
      check(`${token}.outputs`, fn.outputs.properties);
    }
    assert.deepEqual(missing, []);
    assert.match(
      spec.types["jdcloud-image:index:Image"]?.properties["systemDiskSizeGB"]?.description ?? "",
      /system disk must be at least this large/,
    );
  });

  it("declares the settings that opts and CheckConfig accept, each with the type they check", () => {
    const declared = Object.fromEntries(Object.entries(spec.config.variables).map(([name, v]) => [name, v.type]));
    const checked = Object.fromEntries(Object.entries(SETTING_TYPES).map(([name, t]) => [name, t === "number" ? "integer" : t]));
    assert.deepEqual(declared, checked);
  });

  it("marks the secret key and session token secret, so every SDK keeps them encrypted in state", () => {
    const secrets = Object.entries(spec.config.variables)
      .filter(([, v]) => v.secret)
      .map(([k]) => k);
    assert.deepEqual(secrets.sort(), ["secretKey", "securityToken"]);
  });
});
