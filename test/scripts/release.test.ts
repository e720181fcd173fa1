import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { changelogSection, dirtyTreeProblem, versionProblems } from "../../scripts/release";
import { packageManifest, pluginDownloadURL } from "../../plugin/schemaGen";

const REPO = path.resolve(__dirname, "../..");

describe("npm run release's checks", () => {
  it("refuses a tree with uncommitted changes, naming some", () => {
    assert.equal(dirtyTreeProblem(""), undefined);
    assert.equal(
      dirtyTreeProblem(" M README.md\n?? notes.txt\n M plugin/schema.json\n D old.ts\n"),
      "the tree has 4 uncommitted changes (README.md, notes.txt, plugin/schema.json, ...); commit or stash them, then run npm run release again",
    );
  });

  it("takes the version's CHANGELOG section, and refuses a version without one", () => {
    const changelog =
      "# Changelog\n\n## 0.3.0 — unreleased\n\n- new\n\n## 0.2.0 — 2026-12-01\n\n### Added\n\n- things\n\n## 0.1.0\n\nFirst.\n";
    assert.equal(changelogSection(changelog, "0.2.0"), "## 0.2.0 — 2026-12-01\n\n### Added\n\n- things");
    assert.equal(changelogSection(changelog, "0.1.0"), "## 0.1.0\n\nFirst.");
    assert.throws(() => changelogSection(changelog, "0.2.1"), /^Error: CHANGELOG\.md has no entry for 0\.2\.1; add a "## 0\.2\.1" section/);
    assert.throws(() => changelogSection(changelog, "0.2"), /no entry for 0\.2;/);
    assert.ok(changelogSection(fs.readFileSync(path.join(REPO, "CHANGELOG.md"), "utf8"), packageManifest().version).length > 200);
  });

  it("finds this checkout's schema and SDKs at package.json's version and download URL", () => {
    const manifest = packageManifest();
    assert.deepEqual(versionProblems(REPO, manifest.version, pluginDownloadURL(manifest.repository)), []);
  });

  it("names every file that carries another version or download URL", () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "jdcloud-image-release-check-"));
    try {
      for (const rel of [
        "plugin/schema.json",
        "sdk/python/pulumi_jdcloud_image/pulumi-plugin.json",
        "sdk/go/jdcloudimage/pulumi-plugin.json",
        "sdk/python/pyproject.toml",
        "sdk/go/jdcloudimage/internal/pulumiUtilities.go",
      ]) {
        fs.mkdirSync(path.dirname(path.join(copy, rel)), { recursive: true });
        fs.copyFileSync(path.join(REPO, rel), path.join(copy, rel));
      }
      const { version, repository } = packageManifest();
      const problems = versionProblems(copy, "9.9.9", pluginDownloadURL(repository));
      assert.deepEqual(
        problems.map((p) => p.split(" has ")[0]),
        [
          "plugin/schema.json",
          "sdk/python/pulumi_jdcloud_image/pulumi-plugin.json",
          "sdk/go/jdcloudimage/pulumi-plugin.json",
          "sdk/python/pyproject.toml",
          "sdk/go/jdcloudimage/internal/pulumiUtilities.go",
        ],
      );
      assert.ok(
        problems.every((p) => p.includes(`"${version}", not "9.9.9"`)),
        problems.join("\n"),
      );
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});
