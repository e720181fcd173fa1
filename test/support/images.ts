/** The emulator's built-in images as each API describes them: what getImage returns from either endpoint. */
import { builtinImages } from "../../emulator/builtinImages";
import { IMAGE_SHAPES, ImageShape, servedAs, type EmulatorImage } from "../../emulator/store";
import type { Image } from "../../provider/jdcloud/image";

/** An emulator image as the API of `shape` answers for it, with its region (and `snapshots` always a list, as getImage gives it). */
export function servedImage(image: EmulatorImage, shape: ImageShape): Image {
  const served: Image = { ...servedAs(image, shape), regionId: image.regionId, snapshots: shape === "vm" ? [] : (image.snapshots ?? []) };
  return served;
}

/** Every built-in image of one region in each shape, named for messages. */
export function everyServedImage(regionId = "cn-north-1"): Array<{ readonly what: string; readonly image: Image }> {
  return builtinImages()
    .filter((i) => i.regionId === regionId)
    .flatMap((emulated) => IMAGE_SHAPES.map((shape) => ({ what: `${emulated.imageId} (${shape})`, image: servedImage(emulated, shape) })));
}
