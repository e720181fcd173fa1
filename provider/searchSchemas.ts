/**
 * The zod schemas of search criteria, kept apart from search.ts so that loading the package never
 * loads zod (see provider/jdcloud/wire.ts); search.ts loads them on a search's first use.
 */
import { z } from "zod";
import { ARCHITECTURES, IMAGE_SOURCES, IMAGE_STATUSES, OS_TYPES } from "./jdcloud/image";
import { IMAGE_ID_PATTERN, LEGACY_IMAGE_ID_PATTERN, REGION_ID_PATTERN } from "./jdcloud/wire";
import { NAME_REGEX_MAX, SEARCH_PAGE_SIZE, SELECTIONS } from "./search";

const oneOrMore = <T extends z.ZodType<string>>(value: T) => z.union([value, z.array(value).min(1)]);

/** The criteria of a search, as validated (see the SDK's `ImageCriteria` for each field). */
export const ImageCriteriaSchema = z.strictObject({
  regionId: z.string().regex(REGION_ID_PATTERN, { message: "must look like 'cn-north-1'" }).optional(),
  imageSource: z.enum(IMAGE_SOURCES).optional(),
  ids: z
    .array(
      z.string().refine((v) => IMAGE_ID_PATTERN.test(v) || LEGACY_IMAGE_ID_PATTERN.test(v), {
        message: "must be an image ID such as 'img-h8ly274zg9'",
      }),
    )
    .min(1)
    .max(SEARCH_PAGE_SIZE)
    .optional(),
  platform: oneOrMore(z.string().min(1).max(64)).optional(),
  architecture: z.enum(ARCHITECTURES).optional(),
  osType: z.enum(OS_TYPES).optional(),
  name: z.string().min(1).max(256).optional(),
  nameRegex: z.string().min(1).max(NAME_REGEX_MAX).optional(),
  status: z.enum([...IMAGE_STATUSES, "any"]).optional(),
  maxSystemDiskSizeGB: z.number().int().positive().optional(),
  ownerPins: z.array(z.string().min(1).max(128)).min(1).max(100).optional(),
  maxResults: z.number().int().positive().max(100_000).optional(),
});

/** The criteria of `findImage`: a search's, plus how to pick one. */
export const FindImageCriteriaSchema = ImageCriteriaSchema.extend({
  select: z.enum(SELECTIONS).optional(),
  allowUnsafe: z.boolean().optional(),
});
