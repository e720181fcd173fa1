/**
 * Faults the emulator injects on demand, from its API or its fixture file:
 * latency, 5xx answers, throttling, dropped connections, truncated or non-JSON bodies.
 */
import type { z } from "zod";
import { formatIssuePath } from "../provider/jdcloud/schemas";
import { MAX_LATENCY_MS } from "./limits";
import { FaultRuleSchema, FaultSchema, LatencySchema } from "./schemas";

export { MAX_LATENCY_MS } from "./limits";

/** A fault the emulator injects, with its parameters (defaults filled in). */
export type Fault =
  /** Wait `ms` before answering (at most {@link MAX_LATENCY_MS}). */
  | { readonly kind: "latency"; readonly ms: number }
  /** Answer with a JD Cloud error body, e.g. 500 `INTERNAL` or 503 `UNKNOWN`. */
  | { readonly kind: "error"; readonly httpStatus: number; readonly status: string; readonly message?: string }
  /** Answer 429 with `Retry-After: retryAfterSeconds`. */
  | { readonly kind: "throttle"; readonly retryAfterSeconds: number }
  /** Close the connection without answering. */
  | { readonly kind: "drop" }
  /** Send half of a 200 body, then close the connection. */
  | { readonly kind: "truncate" }
  /** Answer with this raw body and status instead of the image. */
  | { readonly kind: "malformed"; readonly body: string; readonly httpStatus: number };

/** Which requests a fault hits. */
export interface FaultSelection {
  /** Hit the next N matching requests, then stop. Default: every one. */
  readonly times?: number;
  /** Hit this share (0..1] of matching requests; with `times`, until N were hit. Default 1. */
  readonly rate?: number;
  /** Only requests for this image. */
  readonly imageId?: string;
  /** Only requests in this region. */
  readonly regionId?: string;
  /** Only requests of this operation: `describeImage` (one image by ID) or `describeImages` (a list). */
  readonly operation?: "describeImage" | "describeImages";
}

/**
 * A fault with its selection, as given to `inject` or in a fixture file. Defaults: an `error` is
 * 500 `INTERNAL`, a `throttle` asks for 1 s, a `malformed` answer is a 200 that is not JSON.
 */
export type FaultRule = (
  | { readonly kind: "latency"; readonly ms: number }
  | { readonly kind: "error"; readonly httpStatus?: number; readonly status?: string; readonly message?: string }
  | { readonly kind: "throttle"; readonly retryAfterSeconds?: number }
  | { readonly kind: "drop" }
  | { readonly kind: "truncate" }
  | { readonly kind: "malformed"; readonly body?: string; readonly httpStatus?: number }
) &
  FaultSelection;

type ParsedRule = z.infer<typeof FaultRuleSchema>;
// The declared types are what the schemas take and give (checked when this compiles).
const _faultTie: Fault = {} as z.infer<typeof FaultSchema>;
const _ruleTie: z.input<typeof FaultRuleSchema> = {} as FaultRule;
void _faultTie;
void _ruleTie;

/** A fault rule or latency the emulator cannot use; the message names the field and what is allowed. */
export class FaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FaultError";
  }
}

/** Validates a fault rule, throwing a one-line {@link FaultError}; returns it with its defaults. */
export function parseFaultRule(rule: unknown): Fault & FaultSelection {
  const parsed = FaultRuleSchema.safeParse(rule);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new FaultError(`Fault rule ${formatIssuePath(issue?.path ?? []) || "(top level)"}: ${issue?.message ?? "is invalid"}`);
}

/** Validates a latency, throwing a one-line {@link FaultError}. */
export function parseLatency(ms: unknown): number {
  const parsed = LatencySchema.safeParse(ms);
  if (parsed.success) return parsed.data;
  throw new FaultError(`Latency ${String(ms)} is not a whole number of milliseconds from 0 to ${MAX_LATENCY_MS}`);
}

/** The faults in force, in the order they were added; the first that matches wins. */
export class FaultPlan {
  private rules: Array<{ rule: ParsedRule; hits: number }> = [];

  /** Adds a rule; returns a function that removes it. */
  add(rule: FaultRule): () => void {
    const entry = { rule: parseFaultRule(rule), hits: 0 };
    this.rules.push(entry);
    return () => {
      this.rules = this.rules.filter((r) => r !== entry);
    };
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = [];
  }

  /** The faults that hit this request (latency adds up with one other fault). */
  take(
    target: { regionId?: string; imageId?: string; operation?: FaultSelection["operation"] },
    random: () => number = Math.random,
  ): Fault[] {
    const hit: Fault[] = [];
    let answered = false;
    for (const entry of [...this.rules]) {
      const { rule } = entry;
      if (rule.imageId !== undefined && rule.imageId !== target.imageId) continue;
      if (rule.regionId !== undefined && rule.regionId !== target.regionId) continue;
      if (rule.operation !== undefined && rule.operation !== target.operation) continue;
      if (rule.kind !== "latency" && answered) continue;
      if (rule.rate !== undefined && random() >= rule.rate) continue;
      entry.hits++;
      if (rule.times !== undefined && entry.hits >= rule.times) this.rules = this.rules.filter((r) => r !== entry);
      const { times: _t, rate: _r, imageId: _i, regionId: _g, operation: _o, ...fault } = rule;
      hit.push(fault);
      if (rule.kind !== "latency") answered = true;
    }
    return hit;
  }
}
