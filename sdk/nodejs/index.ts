/**
 * pulumi-jdcloud-image: look up a JD Cloud VM image by ID from a Pulumi program.
 *
 * @packageDocumentation
 */
export { getImage, getImageOutput } from "./getImage";
export type { GetImageArgs, GetImageOutputArgs, GetImageOptions, GetImageOutputOptions } from "./getImage";
export { ImageLookup } from "./imageLookup";
export { getImages, getImagesOutput, findImage, findImageOutput } from "./findImage";
export { ImageSearch } from "./imageLookup";
export type { ImageSearchArgs } from "./imageLookup";
export type { ImageCriteria, FindImageCriteria, GetImagesResult, ImageCriteriaInput } from "./findImage";
export type { ImageLookupArgs } from "./imageLookup";
export { instanceDisks, terraformInstanceDisks } from "./instanceDisks";
export { guardImages } from "./guard";
export type { GuardImagesOptions, GuardRules, GuardPath, GuardExclusion } from "./guard";
export type {
  DiskSource,
  InstanceDisks,
  SystemDiskSpec,
  SystemCloudDiskSpec,
  DataDiskSpec,
  DataCloudDiskSpec,
  WantedDisks,
  TerraformDisk,
  TerraformInstanceDisks,
} from "./instanceDisks";
export type {
  Image,
  Snapshot,
  ImageRequirements,
  OneOrMore,
  OpenString,
  KnownOsType,
  KnownImageStatus,
  KnownImageSource,
  KnownArchitecture,
  KnownPlatform,
  KnownDiskCategory,
  KnownRootDeviceType,
  KnownLaunchPermission,
  KnownAttachmentCategory,
  ImageDisk,
  ImageLocalDisk,
  ImageCloudDisk,
} from "../../provider/jdcloud/image";
export type { LookupOptions } from "../../provider/jdcloud/settings";
export {
  JdcloudImageError,
  JdcloudApiError,
  ImageNotFoundError,
  AuthenticationError,
  ThrottledError,
  NetworkError,
  CertificateError,
  InvalidResponseError,
  InvalidArgumentError,
  MissingCredentialsError,
  ImageRequirementError,
  NoImageMatchError,
  AmbiguousImageMatchError,
  UnconfirmedAbsenceError,
  ImageGuardError,
} from "../../provider/jdcloud/errors";
export type { GuardedPlace } from "../../provider/jdcloud/errors";
export type { RequirementMiss, LookupTarget, CriterionCount, Candidate, SearchTarget } from "../../provider/jdcloud/errors";
export { clearImageCache, processState } from "../../provider/jdcloud/state";
