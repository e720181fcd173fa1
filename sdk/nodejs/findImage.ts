/**
 * Image search: `getImages` (every match) and `findImage` (exactly one), with their `Output`
 * forms, on JD Cloud's describeImages. The criteria are validated before any request; see
 * {@link ImageCriteria} for each one and how it is matched.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Image, OneOrMore, KnownArchitecture, KnownImageSource, KnownImageStatus, KnownOsType } from "../../provider/jdcloud/image";
import { findImageFromCriteria, getImagesFromCriteria, ImageSearchResult } from "../../provider/search";
import { GetImageOptions, SOURCES, asRunError, logUnderPulumi, quietLateHandling } from "./getImage";

/** What to search for. Every criterion given must hold for an image to match. */
export interface ImageCriteria {
  /** The region, e.g. `cn-north-1`. Default: the `region` setting (`opts.region` in TypeScript, else `jdcloud-image:region`), `JDCLOUD_REGION`, or the jdc profile. */
  readonly regionId?: string;
  /** Where to search: `public`, `private`, `shared`, `thirdparty` or `community`. Required unless `ids` is given. */
  readonly imageSource?: KnownImageSource;
  /** Only these image IDs (at most 100). */
  readonly ids?: readonly string[];
  /** The platform, e.g. `Ubuntu`, or a list of them. */
  readonly platform?: OneOrMore<string>;
  /** The CPU architecture, e.g. `x86_64`. */
  readonly architecture?: KnownArchitecture;
  /** `linux` or `windows`. */
  readonly osType?: KnownOsType;
  /** The exact image name. */
  readonly name?: string;
  /**
   * A regular expression in RE2 syntax matched against the **whole** name (`"Ubuntu 22"` does not
   * match "Ubuntu 22.04"; write `"Ubuntu 22.*"`), at most 1,000 characters. RE2 matches in time
   * linear in the name, so a stranger's crafted image name cannot stall the program; it has no
   * backreferences or lookaround (see https://github.com/google/re2/wiki/Syntax).
   */
  readonly nameRegex?: string;
  /** The status an image must have. Default `"ready"`; `"any"` accepts every status. */
  readonly status?: KnownImageStatus | "any";
  /** The largest system disk acceptable, in GB. */
  readonly maxSystemDiskSizeGB?: number;
  /** Only images published by these owner PINs. */
  readonly ownerPins?: readonly string[];
  /** The most matches the server may report before the search refuses to read them all. Default 1000. */
  readonly maxResults?: number;
}

/** What {@link findImage} looks for, and how it picks one image. */
export interface FindImageCriteria extends ImageCriteria {
  /**
   * How to pick among several matches: `"unique"` (default: several is an `AmbiguousImageMatchError`),
   * `"mostRecent"` (newest `createTime`; ties by image ID), or `"highestVersion"` (the version
   * numbers in the name compared numerically, `22.04` > `20.04` > `8.2`; ties by `createTime`).
   */
  readonly select?: "unique" | "mostRecent" | "highestVersion";
  /**
   * Allow `mostRecent`/`highestVersion` over `community`, `thirdparty` or `shared` images without
   * `ownerPins` or `ids` — which could pick an image a stranger published. Default false.
   */
  readonly allowUnsafe?: boolean;
}

/** What {@link getImages} returns. */
export interface GetImagesResult {
  /** The region searched. */
  readonly regionId: string;
  /** Every match, newest `createTime` first, ties by image ID ascending. */
  readonly images: readonly Image[];
  /** Their IDs, in the same order. */
  readonly ids: readonly string[];
}

/** `Input` forms of the criteria, for the `Output` functions. */
export type ImageCriteriaInput<T> = { readonly [K in keyof T]: pulumi.Input<T[K]> };

function mapped<T>(promise: Promise<T>): Promise<T> {
  return promise.then(undefined, (err: unknown) => {
    throw asRunError(err);
  });
}

/**
 * Every image that meets the criteria, newest first. An empty result is a result, not an error.
 *
 * @example
 * const { ids } = await getImages({ imageSource: "public", platform: "Ubuntu", osType: "linux" });
 * @throws InvalidArgumentError before any request, for bad criteria; the errors of getImage for the requests.
 */
export function getImages(criteria: ImageCriteria, opts?: GetImageOptions): Promise<GetImagesResult> {
  logUnderPulumi();
  return mapped<ImageSearchResult>(getImagesFromCriteria(criteria, { ...(opts ? { options: opts } : {}), sources: SOURCES }));
}

/**
 * Exactly one image that meets the criteria, picked by `select`.
 *
 * @example
 * const ubuntu = await findImage({ imageSource: "public", platform: "Ubuntu", nameRegex: "Ubuntu 22\\.04.*" });
 * @throws NoImageMatchError when none matches (saying what each criterion removed).
 * @throws AmbiguousImageMatchError when several match and `select` is `"unique"`.
 */
export function findImage(criteria: FindImageCriteria, opts?: GetImageOptions): Promise<Image> {
  logUnderPulumi();
  return mapped(findImageFromCriteria(criteria, { ...(opts ? { options: opts } : {}), sources: SOURCES }));
}

/** {@link getImages} with `Input` criteria, returning an `Output`. */
export function getImagesOutput(criteria: ImageCriteriaInput<ImageCriteria>, opts: GetImageOptions = {}): pulumi.Output<GetImagesResult> {
  return pulumi.output(criteria).apply((plain) =>
    getImages(plain as ImageCriteria, opts).catch((err: unknown) => {
      quietLateHandling();
      throw err;
    }),
  );
}

/** {@link findImage} with `Input` criteria, returning `Output<Image>` so fields lift. */
export function findImageOutput(criteria: ImageCriteriaInput<FindImageCriteria>, opts: GetImageOptions = {}): pulumi.Output<Image> {
  return pulumi.output(criteria).apply((plain) =>
    findImage(plain as FindImageCriteria, opts).catch((err: unknown) => {
      quietLateHandling();
      throw err;
    }),
  );
}
