/**
 * Whether an image fits what a program requires: a pure function of the image
 * and the requirements, so `getImage` and the provider's `check` agree.
 */
import { ImageRequirementError, RequirementMiss } from "./jdcloud/errors";
import type { ApiImage, ImageRequirements } from "./jdcloud/wire";

/** The status every lookup requires unless `require.status` says otherwise. */
export const DEFAULT_REQUIRED_STATUS = "ready";
/** `require.status: "any"` accepts an image in every status. */
export const ANY_STATUS = "any";

const NOTHING_REQUIRED: ImageRequirements = Object.freeze({});
const NO_MISSES: readonly RequirementMiss[] = Object.freeze([]);

const STRING_FIELDS = ["status", "osType", "platform", "architecture", "imageSource"] as const;

/** Every requirement the image misses; empty when it fits. */
export function findMisses(image: ApiImage, require: ImageRequirements = NOTHING_REQUIRED): readonly RequirementMiss[] {
  // The common case, no `require`: only the default status is checked.
  if (require === NOTHING_REQUIRED && image.status === DEFAULT_REQUIRED_STATUS) return NO_MISSES;
  const misses: RequirementMiss[] = [];
  for (const field of STRING_FIELDS) {
    const wanted = field === "status" ? (require.status ?? DEFAULT_REQUIRED_STATUS) : require[field];
    if (wanted === undefined) continue;
    const list = typeof wanted === "string" ? [wanted] : wanted;
    if (field === "status" && list.includes(ANY_STATUS)) continue;
    const found = image[field];
    if (found === undefined || !list.includes(found)) {
      misses.push({ field, wanted: typeof wanted === "string" ? wanted : [...wanted], found });
    }
  }
  if (require.maxSystemDiskSizeGB !== undefined && image.systemDiskSizeGB > require.maxSystemDiskSizeGB) {
    misses.push({ field: "systemDiskSizeGB", wanted: require.maxSystemDiskSizeGB, found: image.systemDiskSizeGB });
  }
  return misses;
}

/** Throws `ImageRequirementError` naming every miss, or returns when the image fits. */
export function assertRequirements(
  image: ApiImage,
  require: ImageRequirements | undefined,
  target: { regionId: string; imageId: string; requestId?: string },
): void {
  const misses = findMisses(image, require);
  if (misses.length > 0) throw new ImageRequirementError(target, misses);
}
