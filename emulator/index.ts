/**
 * The bundled JD Cloud describeImage emulator: `pulumi-jdcloud-image/emulator`.
 *
 * @packageDocumentation
 */
export { startEmulator, generateKeyPair, DEFAULT_REQUEST_LOG_LIMIT, MAX_REQUEST_BODY_BYTES } from "./server";
export type { Emulator, EmulatorOptions, RequestRecord } from "./server";
export { builtinImages, PUBLIC_REGIONS } from "./builtinImages";
export { loadFixtures, parseFixtures, FixtureError } from "./store";
export type { EmulatorImage, Fixtures } from "./store";
export { parseFaultRule, FaultError, MAX_LATENCY_MS } from "./faults";
export type { Fault, FaultRule, FaultSelection } from "./faults";
export { verifyRequest, MAX_CLOCK_SKEW_MS } from "./auth";
