/** The README's fenced code blocks, by the `<!-- snippet: NAME -->` tag above each runnable one. */
import * as fs from "node:fs";
import * as path from "node:path";

/** One fenced block: its language, its text, and its tag when it has one. */
export interface Block {
  readonly lang: string;
  readonly text: string;
  readonly tag?: string;
  readonly line: number;
}

/** The repository's README. */
export const README = path.resolve(__dirname, "../../README.md");

/** Every fenced code block of the README, in order. */
export function readmeBlocks(): Block[] {
  const lines = fs.readFileSync(README, "utf8").split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i] ?? "");
    if (!open) continue;
    const tag = /^<!-- snippet: ([a-z0-9-]+) -->$/.exec(lines[i - 1] ?? "")?.[1];
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== "```"; i++) body.push(lines[i] ?? "");
    blocks.push({ lang: open[1] ?? "", text: body.join("\n") + "\n", line: start + 1, ...(tag ? { tag } : {}) });
  }
  return blocks;
}

/** The block tagged `name`; throws when there is none. */
export function snippet(name: string): Block {
  const block = readmeBlocks().find((b) => b.tag === name);
  if (!block) throw new Error(`README.md has no block tagged '<!-- snippet: ${name} -->'`);
  return block;
}
