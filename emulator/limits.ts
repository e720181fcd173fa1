/** The emulator's limits that its schemas and its types share (no zod here: see schemas.ts). */

/** The longest latency the emulator adds to one answer, in milliseconds (one minute). */
export const MAX_LATENCY_MS = 60_000;
