/**
 * The connection settings as a zod schema, for the provider plugin's schema (plugin/schemaGen.ts).
 * Kept apart from settings.ts so that resolving settings never loads zod (see wire.ts).
 */
import { z } from "zod";
import type { LookupOptions } from "./settings";

/**
 * The type of each connection setting, as the provider plugin's schema (`plugin/schema.json`)
 * declares the package's configuration; the same as `SETTING_TYPES`, with the ranges.
 */
export const LookupOptionsSchema = z.strictObject({
  endpoint: z.string().optional(),
  accessKey: z.string().optional(),
  secretKey: z.string().optional(),
  securityToken: z.string().optional(),
  region: z.string().optional(),
  signingService: z.string().optional(),
  timeoutMs: z.number().int().positive().optional(),
  maxRetries: z.number().int().nonnegative().optional(),
}) satisfies z.ZodType<LookupOptions>;
