/**
 * Faults the emulator injects on demand, from its API or its fixture file:
 * latency, 5xx answers, throttling, dropped connections, truncated or non-JSON bodies.
 */
import { z } from "zod";
import { formatIssuePath } from "../provider/jdcloud/schemas";

/** The longest latency the emulator adds to one answer, in milliseconds (one minute). */
export const MAX_LATENCY_MS = 60_000;

/** Latency in milliseconds: a whole number from 0 to {@link MAX_LATENCY_MS}. */
export const LatencySchema = z.number().int().nonnegative().max(MAX_LATENCY_MS);

/** One kind of fault. */
export const FaultSchema = z.discriminatedUnion("kind", [
  /** Wait before answering. */
  z.strictObject({ kind: z.literal("latency"), ms: LatencySchema }),
  /** Answer with a JD Cloud error body, e.g. 500 INTERNAL or 503 UNKNOWN. */
  z.strictObject({
    kind: z.literal("error"),
    httpStatus: z.number().int().min(400).max(599).default(500),
    status: z.string().default("INTERNAL"),
    message: z.string().optional(),
  }),
  /** Answer 429 with `Retry-After`. */
  z.strictObject({ kind: z.literal("throttle"), retryAfterSeconds: z.number().int().nonnegative().default(1) }),
  /** Close the connection without answering. */
  z.strictObject({ kind: z.literal("drop") }),
  /** Send half of a 200 body, then close the connection. */
  z.strictObject({ kind: z.literal("truncate") }),
  /** Answer with this raw body instead of the image: by default a 200 that is not JSON. */
  z.strictObject({
    kind: z.literal("malformed"),
    body: z.string().default("<html>502 Bad Gateway</html>"),
    httpStatus: z.number().int().min(200).max(599).default(200),
  }),
]);

/** A fault and which requests it hits: the next `times`, or a `rate` share, optionally of one image. */
export const FaultRuleSchema = z.intersection(
  FaultSchema,
  z.object({
    /** Hit the next N matching requests, then stop. */
    times: z.number().int().positive().optional(),
    /** Hit this share (0..1] of matching requests; with `times`, until N were hit. */
    rate: z.number().gt(0).max(1).optional(),
    /** Only requests for this image. */
    imageId: z.string().optional(),
    /** Only requests in this region. */
    regionId: z.string().optional(),
    /** Only requests of this operation: `describeImage` (one image by ID) or `describeImages` (a list). */
    operation: z.enum(["describeImage", "describeImages"]).optional(),
  }),
);

/** A fault kind with its parameters. */
export type Fault = z.infer<typeof FaultSchema>;
/** A fault with its selection, as given to `inject` or in a fixture file. */
export type FaultRule = z.input<typeof FaultRuleSchema>;
type ParsedRule = z.infer<typeof FaultRuleSchema>;

/** A fault rule or latency the emulator cannot use; the message names the field and what is allowed. */
export class FaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FaultError";
  }
}

/** Validates a fault rule, throwing a one-line {@link FaultError}. */
export function parseFaultRule(rule: unknown): z.infer<typeof FaultRuleSchema> {
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
    target: { regionId?: string; imageId?: string; operation?: "describeImage" | "describeImages" },
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
