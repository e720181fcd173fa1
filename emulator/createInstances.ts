/**
 * The emulator's createInstances (`POST /v1/regions/{regionId}/instances`): it creates nothing, but
 * checks a request as JD Cloud's models describe it and answers with instance IDs, so a program's
 * instance definitions are tried against a server before they reach JD Cloud. It refuses what
 * JD Cloud would refuse — an image that is missing or not `ready`, a system disk whose category
 * does not fit the image, a data disk smaller than its snapshot or made from a snapshot the image
 * does not have — and, stricter than JD Cloud (which may ignore them), any field the official
 * models do not have, such as a `DiskSpec.diskName`.
 */
import { randomBytes } from "node:crypto";
import type { EmulatorImage } from "./store";

/** The body of createInstances, as the official SDKs send it. */
export const CREATE_INSTANCES_FIELDS = Object.freeze(["instanceSpec", "maxCount", "clientToken"]);

/** The fields of the official `InstanceSpec` (jdcloud-sdk 1.6.354, `jdcloud_sdk/services/vm/models/InstanceSpec.py`). */
export const INSTANCE_SPEC_FIELDS = Object.freeze([
  "name",
  "dedicatedPoolId",
  "dedicatedHostId",
  "agId",
  "isManaged",
  "instanceTemplateId",
  "az",
  "instanceType",
  "burstSpec",
  "imageId",
  "hostname",
  "password",
  "keyNames",
  "elasticIp",
  "primaryNetworkInterface",
  "systemDisk",
  "dataDisks",
  "charge",
  "metadata",
  "userdata",
  "description",
  "noPassword",
  "noKeyNames",
  "noElasticIp",
  "noInstanceTags",
  "userTags",
  "chargeOnStopped",
  "autoImagePolicyId",
  "passwordAuth",
  "imageInherit",
  "resourceGroupId",
  "cpuTopology",
]);

/** The fields of the official `InstanceDiskAttachmentSpec` (`jdcloud_sdk/services/vm/models/InstanceDiskAttachmentSpec.py`). */
export const DISK_ATTACHMENT_SPEC_FIELDS = Object.freeze(["diskCategory", "autoDelete", "cloudDiskSpec", "deviceName", "noDevice"]);

/** The fields of the official `DiskSpec` (`jdcloud_sdk/services/disk/models/DiskSpec.py`), a disk attachment's `cloudDiskSpec`. */
export const DISK_SPEC_FIELDS = Object.freeze([
  "az",
  "name",
  "diskType",
  "diskSizeGB",
  "description",
  "iops",
  "snapshotId",
  "policyId",
  "charge",
  "multiAttachable",
  "encrypt",
]);

/** An instance the emulator's createInstances accepted. */
export interface CreatedInstance {
  /** The ID it answered with, e.g. `i-3f8a2b9c1d`. */
  readonly instanceId: string;
  readonly regionId: string;
  /** The `instanceSpec` as the request sent it. */
  readonly instanceSpec: Readonly<Record<string, unknown>>;
}

/** What createInstances answers: instance IDs, or JD Cloud's error. */
export type CreateInstancesAnswer =
  | { readonly ok: true; readonly instances: readonly CreatedInstance[] }
  | { readonly ok: false; readonly httpStatus: number; readonly status: string; readonly message: string };

const MAX_COUNT = 100;

class Refusal extends Error {}

const refuse = (message: string): never => {
  throw new Refusal(message);
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Refuses a field the official model does not have. */
function onlyFields(value: Record<string, unknown>, fields: readonly string[], model: string, at: string): void {
  for (const key of Object.keys(value)) {
    if (!fields.includes(key)) refuse(`${at}.${key.slice(0, 64)} is not a field of ${model}`);
  }
}

const wholeAbove0 = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v > 0;

/** The snapshots of the image's data disks, with their sizes, whichever API described them. */
function dataSnapshots(image: EmulatorImage): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const s of image.snapshots ?? []) if (s.diskCategory === "data_disk") sizes.set(s.diskSnapshotId, s.diskSize);
  for (const d of image.dataDisks ?? []) {
    if (d.cloudDisk?.snapshotId !== undefined) sizes.set(d.cloudDisk.snapshotId, d.cloudDisk.diskSizeGB ?? 0);
  }
  return sizes;
}

/** The system disk category the image takes: its `rootDeviceType`, else (an image only the coc-vm API describes) `cloud`. */
function rootCategory(image: EmulatorImage): "local" | "cloud" {
  if (image.rootDeviceType === "localDisk") return "local";
  if (image.rootDeviceType === undefined && image.systemDisk?.diskCategory === "local") return "local";
  return "cloud";
}

function checkSystemDisk(disk: unknown, image: EmulatorImage): void {
  const at = "instanceSpec.systemDisk";
  if (!isObject(disk)) return void refuse(`${at} must be an object`);
  onlyFields(disk, DISK_ATTACHMENT_SPEC_FIELDS, "InstanceDiskAttachmentSpec", at);
  const required = rootCategory(image);
  const category = disk["diskCategory"];
  if (category !== undefined && category !== "local" && category !== "cloud") refuse(`${at}.diskCategory must be local or cloud`);
  if (category !== undefined && category !== required) {
    refuse(
      `image '${image.imageId}' boots from a ${required} disk: ${at}.diskCategory must be ${required} (or left out), not ${typeof category === "string" ? category : JSON.stringify(category)}`,
    );
  }
  const spec = disk["cloudDiskSpec"];
  if (spec === undefined) return;
  if (!isObject(spec)) return void refuse(`${at}.cloudDiskSpec must be an object`);
  onlyFields(spec, DISK_SPEC_FIELDS, "DiskSpec", `${at}.cloudDiskSpec`);
  // A local system disk ignores cloudDiskSpec, as JD Cloud documents.
  if (required === "local") return;
  const size = spec["diskSizeGB"];
  if (size !== undefined && (!wholeAbove0(size) || size < image.systemDiskSizeGB)) {
    refuse(`${at}.cloudDiskSpec.diskSizeGB must be at least the image's ${image.systemDiskSizeGB} GB, not ${JSON.stringify(size)}`);
  }
}

function checkDataDisk(disk: unknown, i: number, snapshots: ReadonlyMap<string, number>, image: EmulatorImage): void {
  const at = `instanceSpec.dataDisks[${i}]`;
  if (!isObject(disk)) return void refuse(`${at} must be an object`);
  onlyFields(disk, DISK_ATTACHMENT_SPEC_FIELDS, "InstanceDiskAttachmentSpec", at);
  const category = disk["diskCategory"];
  if (category !== undefined && category !== "cloud") refuse(`${at}.diskCategory must be cloud: data disks are cloud disks`);
  const spec = disk["cloudDiskSpec"];
  if (!isObject(spec)) return void refuse(`${at}.cloudDiskSpec is required`);
  onlyFields(spec, DISK_SPEC_FIELDS, "DiskSpec", `${at}.cloudDiskSpec`);
  if (typeof spec["diskType"] !== "string" || spec["diskType"] === "") refuse(`${at}.cloudDiskSpec.diskType is required`);
  const size = spec["diskSizeGB"];
  if (!wholeAbove0(size)) return void refuse(`${at}.cloudDiskSpec.diskSizeGB must be a whole number of GB above 0`);
  const name = spec["name"];
  if (typeof name !== "string" || name.length < 1 || name.length > 32) refuse(`${at}.cloudDiskSpec.name is required (1 to 32 characters)`);
  const snapshotId = spec["snapshotId"];
  if (snapshotId === undefined) return;
  const snapshotSize = typeof snapshotId === "string" ? snapshots.get(snapshotId) : undefined;
  if (snapshotSize === undefined)
    refuse(`${at}.cloudDiskSpec.snapshotId ${JSON.stringify(snapshotId)} is not a data disk snapshot of image '${image.imageId}'`);
  else if (size < snapshotSize) refuse(`${at}.cloudDiskSpec.diskSizeGB must be at least its snapshot's ${snapshotSize} GB, not ${size}`);
}

/**
 * Checks a createInstances request body against the image (looked up with `findImage`) and the
 * official models; answers with `maxCount` new instance IDs, or a 400 `INVALID_ARGUMENT` whose
 * message names the field.
 */
export function createInstances(
  body: unknown,
  regionId: string,
  findImage: (regionId: string, imageId: string) => EmulatorImage | undefined,
): CreateInstancesAnswer {
  try {
    if (!isObject(body)) return refuse("the request body must be a JSON object with instanceSpec");
    onlyFields(body, CREATE_INSTANCES_FIELDS, "createInstances' request", "body");
    const spec = body["instanceSpec"];
    if (!isObject(spec)) return refuse("instanceSpec is required");
    onlyFields(spec, INSTANCE_SPEC_FIELDS, "InstanceSpec", "instanceSpec");
    if (typeof spec["name"] !== "string" || spec["name"] === "") refuse("instanceSpec.name is required");
    const imageId = spec["imageId"];
    if (typeof imageId !== "string" || imageId === "") return refuse("instanceSpec.imageId is required");
    const image = findImage(regionId, imageId);
    if (!image) return refuse(`image '${imageId.slice(0, 80)}' does not exist in region ${regionId}`);
    if (image.status !== "ready") refuse(`image '${imageId}' is ${image.status}, not ready`);
    const count = body["maxCount"] ?? 1;
    if (!wholeAbove0(count) || count > MAX_COUNT) refuse(`maxCount must be a whole number from 1 to ${MAX_COUNT}`);
    if (spec["systemDisk"] !== undefined) checkSystemDisk(spec["systemDisk"], image);
    const dataDisks = spec["dataDisks"];
    if (dataDisks !== undefined) {
      if (!Array.isArray(dataDisks)) refuse("instanceSpec.dataDisks must be a list");
      const snapshots = dataSnapshots(image);
      (dataDisks as unknown[]).forEach((d, i) => checkDataDisk(d, i, snapshots, image));
    }
    const instances = Array.from({ length: count as number }, () => ({
      instanceId: `i-${randomBytes(5).toString("hex")}`,
      regionId,
      instanceSpec: spec,
    }));
    return { ok: true, instances };
  } catch (err) {
    if (err instanceof Refusal) return { ok: false, httpStatus: 400, status: "INVALID_ARGUMENT", message: err.message };
    throw err;
  }
}
