/**
 * The bundled JD Cloud describeImage emulator: `pulumi-jdcloud-image/emulator`.
 *
 * @packageDocumentation
 */
export { startEmulator, generateKeyPair } from "./server";
export type { Emulator, EmulatorOptions, RequestRecord } from "./server";
export { builtinImages, PUBLIC_REGIONS } from "./builtinImages";
export { loadFixtures, parseFixtures, FixtureError, FixtureFileSchema } from "./store";
export type { EmulatorImage, Fixtures } from "./store";
export { FaultSchema, FaultRuleSchema } from "./faults";
export type { Fault, FaultRule } from "./faults";
export { verifyRequest, MAX_CLOCK_SKEW_MS } from "./auth";
