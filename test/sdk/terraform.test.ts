/**
 * The Terraform-bridged `jdcloud` provider's shapes against its schema (test/fixtures/terraform-jdcloud.json,
 * the field names its public repository declares), named as `pulumi package add terraform-provider
 * jdcloud-api/jdcloud` names them: the bridge's tokens (`jdcloud_instance` → `jdcloud:index/instance:Instance`)
 * and property names (snake_case → camelCase; a block of at most one item an object, any other
 * block a list in the plural).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { everyServedImage } from "../support/images";
import { BRIDGED_JDCLOUD_PATHS } from "../../provider/guard";
import { terraformInstanceDisks } from "../../sdk/nodejs/instanceDisks";

interface Block {
  readonly maxItems?: number;
  readonly attributes: readonly string[];
}
interface Schema {
  readonly resources: Record<string, { readonly attributes: readonly string[]; readonly blocks: Record<string, Block> }>;
}

const SCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "terraform-jdcloud.json"), "utf8")) as Schema;

/** The bridge's property name for a Terraform name: camelCase, and a list in the plural. */
function bridged(name: string, list = false): string {
  const camel = name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  return list && !camel.endsWith("s") ? `${camel}s` : camel;
}

/** The bridge's token of a resource: `jdcloud:index/<camel name>:<Pascal name>`. */
function token(resource: string): string {
  const camel = bridged(resource.replace(/^jdcloud_/, ""));
  return `jdcloud:index/${camel}:${camel[0]?.toUpperCase() ?? ""}${camel.slice(1)}`;
}

describe("the Terraform-bridged jdcloud provider's shapes, against its schema", () => {
  const instance = SCHEMA.resources["jdcloud_instance"];
  assert.ok(instance);
  const systemDisk = instance.blocks["system_disk"];
  const dataDisk = instance.blocks["data_disk"];
  assert.ok(systemDisk && dataDisk);

  it("terraformInstanceDisks gives jdcloud_instance's system_disk (one block: an object) and data_disk (a list), in the bridge's names", () => {
    assert.equal(systemDisk.maxItems, 1);
    const systemNames = systemDisk.attributes.map((a) => bridged(a));
    const dataNames = dataDisk.attributes.map((a) => bridged(a));
    let checked = 0;
    for (const { what, image } of everyServedImage()) {
      const disks = terraformInstanceDisks(image, { systemDiskSizeGB: 80 });
      assert.deepEqual(Object.keys(disks).sort(), [bridged("data_disk", true), bridged("system_disk")].sort(), what);
      assert.ok(!Array.isArray(disks.systemDisk), "a block of at most one item is an object");
      for (const key of Object.keys(disks.systemDisk)) assert.ok(systemNames.includes(key), `${what}: systemDisk.${key}`);
      for (const d of disks.dataDisks) for (const key of Object.keys(d)) assert.ok(dataNames.includes(key), `${what}: dataDisks[].${key}`);
      checked++;
    }
    assert.ok(checked >= 20);
    assert.deepEqual(bridged("disk_size_gb"), "diskSizeGb");
  });

  it("guardImages looks at image_id of the bridged instance and instance template, by the bridge's tokens", () => {
    const wanted = ["jdcloud_instance", "jdcloud_instance_template"].map((r) => {
      const resource = SCHEMA.resources[r];
      assert.ok(resource?.attributes.includes("image_id"), r);
      return { type: token(r), path: bridged("image_id") };
    });
    assert.deepEqual(BRIDGED_JDCLOUD_PATHS, wanted);
    assert.deepEqual(
      wanted.map((w) => w.type),
      ["jdcloud:index/instance:Instance", "jdcloud:index/instanceTemplate:InstanceTemplate"],
    );
  });
});
