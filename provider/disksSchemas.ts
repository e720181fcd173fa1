/**
 * The zod schemas of `instanceDisks`' arguments and results, for the provider plugin (which
 * validates what other languages send) and the package schema (plugin/schemaGen.ts). The TypeScript
 * SDK's `instanceDisks` takes typed values and needs none of this.
 */
import { z } from "zod";
import type {
  DataCloudDiskSpec,
  DataDiskSpec,
  InstanceDisks,
  InstanceDisksArgs,
  SystemCloudDiskSpec,
  SystemDiskSpec,
  TerraformDisk,
  TerraformInstanceDisks,
  WantedDisks,
} from "./disks";
import { ImageSchema, tie } from "./jdcloud/schemas";

const size = z.number().int().positive();

/** What the program wants of the disks (see {@link WantedDisks}). */
export const WantedDisksSchema = z.strictObject({
  systemDiskSizeGB: size.optional(),
  systemDiskType: z.string().min(1).max(64).optional(),
  systemDiskCategory: z.enum(["local", "cloud"]).optional(),
  dataDiskType: z.string().min(1).max(64).optional(),
  dataDiskSizeGB: size.optional(),
  autoDelete: z.boolean().optional(),
  dataDiskNamePrefix: z.string().min(1).max(24).optional(),
});

/** The arguments of the plugin's `instanceDisks` and `terraformInstanceDisks`: the image (as `getImage` returns it) and what is wanted. */
export const InstanceDisksArgsSchema = WantedDisksSchema.extend({ image: ImageSchema });

/** {@link SystemCloudDiskSpec}. */
export const SystemCloudDiskSpecSchema = z.object({ diskSizeGB: size, diskType: z.string() });
/** {@link SystemDiskSpec}. */
export const SystemDiskSpecSchema = z.object({
  diskCategory: z.enum(["local", "cloud"]).optional(),
  cloudDiskSpec: SystemCloudDiskSpecSchema.optional(),
});
/** {@link DataCloudDiskSpec}. */
export const DataCloudDiskSpecSchema = z.object({
  name: z.string(),
  snapshotId: z.string().optional(),
  diskSizeGB: z.number().int().nonnegative(),
  diskType: z.string(),
});
/** {@link DataDiskSpec}. */
export const DataDiskSpecSchema = z.object({
  diskCategory: z.literal("cloud"),
  autoDelete: z.boolean(),
  deviceName: z.string().optional(),
  cloudDiskSpec: DataCloudDiskSpecSchema,
});
/** {@link InstanceDisks}. */
export const InstanceDisksSchema = z.object({ systemDisk: SystemDiskSpecSchema, dataDisks: z.array(DataDiskSpecSchema) });

/** {@link TerraformDisk}. */
export const TerraformDiskSchema = z.object({
  diskCategory: z.enum(["local", "cloud"]).optional(),
  autoDelete: z.boolean().optional(),
  deviceName: z.string().optional(),
  diskName: z.string().optional(),
  diskType: z.string().optional(),
  diskSizeGb: z.number().int().nonnegative().optional(),
  snapshotId: z.string().optional(),
});
/** {@link TerraformInstanceDisks}. */
export const TerraformInstanceDisksSchema = z.object({ systemDisk: TerraformDiskSchema, dataDisks: z.array(TerraformDiskSchema) });

// The declared types (disks.ts) and these schemas name the same fields, and what the schemas parse fits the types.
tie<WantedDisks, z.output<typeof WantedDisksSchema>>(true);
tie<InstanceDisksArgs, z.output<typeof InstanceDisksArgsSchema>>(true);
tie<SystemCloudDiskSpec, z.output<typeof SystemCloudDiskSpecSchema>>(true);
tie<SystemDiskSpec, z.output<typeof SystemDiskSpecSchema>>(true);
tie<DataCloudDiskSpec, z.output<typeof DataCloudDiskSpecSchema>>(true);
tie<DataDiskSpec, z.output<typeof DataDiskSpecSchema>>(true);
tie<InstanceDisks, z.output<typeof InstanceDisksSchema>>(true);
tie<TerraformDisk, z.output<typeof TerraformDiskSchema>>(true);
tie<TerraformInstanceDisks, z.output<typeof TerraformInstanceDisksSchema>>(true);
