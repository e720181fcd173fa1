/**
 * The serialized ImageLookup provider exactly as a program writes it to state,
 * and a program folder from which it resolves `pulumi-jdcloud-image` as a user's
 * would (node_modules/pulumi-jdcloud-image, linked to this checkout's build).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ImageLookup, ImageSearch } from "../../sdk/nodejs/imageLookup";
import { installMocks, Registered, settle } from "./pulumi";

/** The most the serialized provider may weigh: it is written into state once per ImageLookup. */
export const SERIALIZED_PROVIDER_LIMIT = 16 * 1024;

/** The repository root: its package.json names the package and its build is in dist/. */
export const REPO_ROOT = path.resolve(__dirname, "../..");

/** Registers one ImageLookup (or ImageSearch) under mocks and returns the `__provider` text it carried. */
export async function serializedProvider(kind: "ImageLookup" | "ImageSearch" = "ImageLookup"): Promise<string> {
  const registered: Registered[] = [];
  await installMocks(false, registered);
  const resource =
    kind === "ImageLookup"
      ? new ImageLookup("serialize-me", { imageId: "img-m5s0centos8" })
      : new ImageSearch("serialize-me", { criteria: { imageSource: "public" } });
  await settle(resource.id);
  const text = registered.find((r) => r.name === "serialize-me")?.inputs["__provider"];
  if (typeof text !== "string") throw new Error("no __provider was registered");
  return text;
}

/** A temporary program folder with `node_modules/pulumi-jdcloud-image` linked to this checkout. */
export function programDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jdcloud-program-"));
  fs.mkdirSync(path.join(dir, "node_modules"));
  fs.symlinkSync(REPO_ROOT, path.join(dir, "node_modules", "pulumi-jdcloud-image"), "dir");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "program", private: true }));
  return dir;
}
