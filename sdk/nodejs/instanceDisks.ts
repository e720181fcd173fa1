/**
 * What an instance definition needs from an image: `instanceDisks` in the shape of JD Cloud
 * createInstances' `InstanceSpec` (`systemDisk`, `dataDisks[]`, fields of the official SDKs'
 * `InstanceDiskAttachmentSpec` and `DiskSpec`), `terraformInstanceDisks` in the shape of the
 * Terraform-bridged `jdcloud` provider's instance. Pure: no request.
 */
import { instanceDisksOf, terraformDisksOf } from "../../provider/disks";
import type { DiskSource, InstanceDisks, TerraformInstanceDisks, WantedDisks } from "../../provider/disks";

export type {
  DiskSource,
  WantedDisks,
  SystemDiskSpec,
  SystemCloudDiskSpec,
  DataDiskSpec,
  DataCloudDiskSpec,
  InstanceDisks,
  TerraformDisk,
  TerraformInstanceDisks,
} from "../../provider/disks";

/**
 * The system disk and data disks of a createInstances `InstanceSpec` built from an image (either
 * API's shape): a system disk that fits the image — `local` for a `localDisk` image, `cloud` of at
 * least the image's size for a `cloudDisk` one, and for an image that does not say (the `coc-vm`
 * API's) no category, which JD Cloud then takes from the image, unless `systemDiskCategory`
 * says — and one cloud data disk per data disk of the image: its snapshot, never below the
 * snapshot's size, its type and name. `systemDiskSizeGB` sizes a cloud system disk only (a
 * local one's size is the instance type's).
 *
 * @example
 * const spec = { name: "web", imageId: img.imageId, instanceType: "g.n2.medium", ...instanceDisks(img, { systemDiskSizeGB: 60 }) };
 *
 * @throws InvalidArgumentError for a size that is not a whole number of GB above 0, or a
 *   `systemDiskCategory` the image does not allow.
 */
export function instanceDisks(image: DiskSource, wanted: WantedDisks = {}): InstanceDisks {
  return instanceDisksOf(image, wanted);
}

/**
 * {@link instanceDisks} as the `systemDisk` and `dataDisks` inputs of `jdcloud:index/instance:Instance`,
 * the Terraform `jdcloud` provider's instance as a `pulumi package add terraform-provider
 * jdcloud-api/jdcloud` program takes it (its `system_disk` and `data_disk` blocks, with the bridge's names).
 *
 * @example
 * new jdcloud.Instance("web", { imageId: img.imageId, instanceType: "g.n2.medium", az, subnetId, instanceName: "web", ...terraformInstanceDisks(img) });
 */
export function terraformInstanceDisks(image: DiskSource, wanted: WantedDisks = {}): TerraformInstanceDisks {
  return terraformDisksOf(image, wanted);
}
