/**
 * Whether this process talks to a Pulumi engine, so `pulumi.log` lines reach the user.
 */
import * as pulumi from "@pulumi/pulumi";

/**
 * True when this process runs under the Pulumi engine: a program on a language host, an inline
 * Automation API program, or a provider host the engine configured. `pulumi.runtime.hasEngine()`
 * is not the test: it says true only once the module-wide engine client exists, which an inline
 * program (its client lives in the run's own settings store) never makes. `getEngine()` makes or
 * finds the client of the current run, and is undefined outside Pulumi and under mocks.
 */
export function hasPulumiEngine(): boolean {
  return pulumi.runtime.getEngine() !== undefined;
}
