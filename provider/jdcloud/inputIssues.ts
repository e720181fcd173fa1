/**
 * What is wrong with a user's input, from the first zod issue of its validation, as the parts of
 * one sentence: the path of the input (`require.platform`), the problem in plain words
 * (`has no key 'platfrom'`, `is 'Linux', not one of 'linux', 'windows'`), and what to do — a
 * compiler's "did you mean" when a known key or value is close. Loaded with zod, on first need.
 */
import { z } from "zod";
import { clip, kindOf } from "./errors";
import { didYouMean } from "./suggest";
import { formatIssuePath } from "./wire";

/** One input problem, ready for an `InvalidArgumentError`. */
export interface InputProblem {
  /** The input's path from the root, e.g. `require.osType`; empty for the root itself. */
  readonly path: string;
  readonly problem: string;
  /** "did you mean ...?" when a known name is close; otherwise undefined (the caller has a general fix). */
  readonly suggestion?: string;
}

/** The object shape a schema validates (through optional, nullable, default and union wrappers), if any. */
function shapeOf(schema: z.ZodType | undefined): Record<string, z.ZodType> | undefined {
  let node: z.ZodType | undefined = schema;
  for (let depth = 0; node !== undefined && depth < 8; depth++) {
    if (node instanceof z.ZodObject) return node.shape;
    if (node instanceof z.ZodOptional || node instanceof z.ZodNullable) node = node.unwrap() as z.ZodType;
    else if (node instanceof z.ZodDefault) node = node.removeDefault() as z.ZodType;
    else return undefined;
  }
  return undefined;
}

/** The keys the schema accepts at `path` (an object's keys), or none. */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: z.ZodType | undefined = schema;
  for (const part of path) {
    if (typeof part === "number") {
      let inner: z.ZodType | undefined = node;
      while (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable) inner = inner.unwrap() as z.ZodType;
      node = inner instanceof z.ZodArray ? (inner.element as z.ZodType) : undefined;
      continue;
    }
    node = shapeOf(node)?.[String(part)];
  }
  return Object.keys(shapeOf(node) ?? {});
}

/** The value at `path` of `root`. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const part of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

/** A value as a message shows it: a string quoted and cleaned, anything else as cut JSON. */
export function shown(value: unknown): string {
  if (typeof value === "string") return `'${clip(value, 60)}'`;
  if (value === undefined) return "nothing";
  return clip(JSON.stringify(value) ?? typeof value, 60);
}

/** The allowed values an enum issue (or a union of an enum and a list of it) names, if any. */
function allowedValues(issue: z.core.$ZodIssue): readonly string[] | undefined {
  if (issue.code === "invalid_value") return issue.values.filter((v): v is string => typeof v === "string");
  if (issue.code === "invalid_union") {
    for (const branch of issue.errors) for (const inner of branch) if (inner.code === "invalid_value") return allowedValues(inner);
  }
  return undefined;
}

/** The first problem of a failed validation of `input` against `schema`. */
export function inputProblem(schema: z.ZodType, error: z.ZodError, input: unknown): InputProblem {
  return inputProblems(schema, error, input)[0] ?? { path: "", problem: "is invalid" };
}

/** Every problem of a failed validation of `input` against `schema`, one per issue. */
export function inputProblems(schema: z.ZodType, error: z.ZodError, input: unknown): InputProblem[] {
  return error.issues.map((issue) => issueProblem(schema, issue, input));
}

function issueProblem(schema: z.ZodType, issue: z.core.$ZodIssue, input: unknown): InputProblem {
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0] ?? "";
    const path = [...issue.path, key];
    const suggestion = didYouMean(key, keysAt(schema, issue.path));
    return { path: formatIssuePath(path), problem: "there is no such input", ...(suggestion ? { suggestion } : {}) };
  }
  const value = valueAt(input, issue.path);
  const path = formatIssuePath(issue.path);
  const values = allowedValues(issue);
  if (values !== undefined) {
    // One value, or the first of a list that is not allowed.
    const wrong: unknown = Array.isArray(value) ? (value as unknown[]).find((v) => typeof v !== "string" || !values.includes(v)) : value;
    const suggestion = typeof wrong === "string" ? didYouMean(wrong, values) : undefined;
    return {
      path,
      problem: `is ${shown(wrong)}, not one of ${values.map((v) => `'${v}'`).join(", ")}`,
      ...(suggestion ? { suggestion } : {}),
    };
  }
  if (issue.code === "invalid_type") {
    const expected = issue.expected === "array" ? "a list" : issue.expected === "object" ? "an object" : `a ${issue.expected}`;
    return { path, problem: value === undefined ? "is required" : `must be ${expected}, not ${kindOf(value)}` };
  }
  if (issue.code === "invalid_union") {
    return { path, problem: `is ${shown(value)}, which is neither a value nor a list of values it takes` };
  }
  // A message of our own (a pattern's, say) reads after the value; zod's own after "is".
  if (issue.code === "custom" || issue.code === "invalid_format") return { path, problem: `${shown(value)} ${clip(issue.message, 160)}` };
  return {
    path,
    problem: `is ${shown(value)}: ${clip(
      issue.message
        .replace(/^Invalid input: /, "")
        .replace(/^Too /, "too ")
        .toLowerCase(),
      160,
    )}`,
  };
}
