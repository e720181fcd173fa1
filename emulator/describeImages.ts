/**
 * describeImages as JD Cloud's VM API answers it: `GET /v1/regions/{regionId}/images` with the
 * query parameters the official SDK sends (`ids.N`, `imageSource`, `platform`, `imageName`,
 * `architecture`, `status`, `pageNumber`, `pageSize`), paged, newest first, with `totalCount`, and
 * JD Cloud's validation errors. See docs/jdcloud-api.md for what this relies on.
 */
import { IMAGE_SOURCES } from "../provider/jdcloud/image";
import type { ServedImage as ApiImage } from "./store";

/** A page of images, or the 400 JD Cloud answers to a query it refuses. */
export type ImagesAnswer =
  | { readonly ok: true; readonly images: readonly ApiImage[]; readonly totalCount: number }
  | { readonly ok: false; readonly status: string; readonly message: string };

/** The page size JD Cloud uses when none is given, and the range it accepts. */
export const PAGE_SIZE = Object.freeze({ default: 20, min: 10, max: 100 });

function wholeNumber(value: string | null): number | undefined {
  if (value === null) return undefined;
  return /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
}

/** Answers one describeImages query over a region's images, given newest first. */
export function describeImages(images: readonly ApiImage[], query: URLSearchParams): ImagesAnswer {
  const ids: string[] = [];
  for (let n = 1; query.has(`ids.${n}`); n++) ids.push(query.get(`ids.${n}`) ?? "");
  const source = query.get("imageSource");
  if (source === null && ids.length === 0) return { ok: false, status: "FAILED_PRECONDITION", message: "Parameter ImageSource missing" };
  if (source !== null && !(IMAGE_SOURCES as readonly string[]).includes(source)) {
    return { ok: false, status: "INVALID_ARGUMENT", message: `Invalid parameter ImageSource: ${source.slice(0, 40)}` };
  }
  const pageSize = wholeNumber(query.get("pageSize")) ?? PAGE_SIZE.default;
  if (!(pageSize >= PAGE_SIZE.min && pageSize <= PAGE_SIZE.max))
    return { ok: false, status: "OUT_OF_RANGE", message: "PageSize out of range" };
  const pageNumber = wholeNumber(query.get("pageNumber")) ?? 1;
  if (!(pageNumber >= 1)) return { ok: false, status: "OUT_OF_RANGE", message: "PageNumber out of range" };

  // Each filter read once per query, not once per image.
  const wanted = ["imageSource", "platform", "imageName", "architecture", "status"].map((name) => query.get(name));
  const [wantSource, wantPlatform, wantName, wantArch, wantStatus] = wanted;
  const idSet = new Set(ids);
  const fits = (want: string | null | undefined, value: string | null | undefined): boolean => want === null || want === value;
  const matching = images.filter(
    (i) =>
      (idSet.size === 0 || idSet.has(i.imageId)) &&
      fits(wantSource, i.imageSource) &&
      fits(wantPlatform, i.platform) &&
      fits(wantName, i.name) &&
      fits(wantArch, i.architecture) &&
      fits(wantStatus, i.status),
  );
  // The images come newest first (JD Cloud documents no order; ties have none), so the matches do.
  const start = (pageNumber - 1) * pageSize;
  return { ok: true, images: matching.slice(start, start + pageSize), totalCount: matching.length };
}
