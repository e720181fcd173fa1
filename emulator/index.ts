/**
 * The bundled JD Cloud describeImage emulator: `pulumi-jdcloud-image/emulator`.
 *
 * @packageDocumentation
 */
export { startEmulator, generateKeyPair, DEFAULT_REQUEST_LOG_LIMIT, MAX_REQUEST_BODY_BYTES } from "./server";
export type { Emulator, EmulatorOptions, RequestRecord } from "./server";
export { builtinImages, PUBLIC_REGIONS } from "./builtinImages";
export { loadFixtures, parseFixtures, FixtureError, IMAGE_SHAPES, servedAs } from "./store";
export type { EmulatorImage, Fixtures, ImageShape, ServedImage } from "./store";
export { parseFaultRule, FaultError, MAX_LATENCY_MS } from "./faults";
export type { Fault, FaultRule, FaultSelection } from "./faults";
export { verifyRequest, MAX_CLOCK_SKEW_MS } from "./auth";
export { CREATE_INSTANCES_FIELDS, INSTANCE_SPEC_FIELDS, DISK_ATTACHMENT_SPEC_FIELDS, DISK_SPEC_FIELDS } from "./createInstances";
export type { CreatedInstance } from "./createInstances";
