// Compiled against the built declarations (dist/sdk/nodejs), as a user's editor sees the package.
// Every `@ts-expect-error` must hold: if the line compiled, tsc reports the directive as unused.
import { getImage, ImageRequirements, instanceDisks } from "../../dist/sdk/nodejs";

export async function uses(): Promise<void> {
  const img = await getImage({ imageId: "img-h8ly274zg9", require: { osType: "linux", status: ["ready", "any"], imageSource: "public" } });

  // Known values narrow; unknown future values still type-check.
  const os: string = img.osType;
  const future: typeof img.status = "migrating";
  void os;
  void future;

  // @ts-expect-error a misspelt OS type in require does not compile
  const typo: ImageRequirements = { osType: "linx" };
  // @ts-expect-error a misspelt status does not compile
  await getImage({ imageId: "img-h8ly274zg9", require: { status: "redy" } });
  // @ts-expect-error an unknown architecture does not compile
  await getImage({ imageId: "img-h8ly274zg9", require: { architecture: "x86" } });
  // @ts-expect-error an unknown image source does not compile
  await getImage({ imageId: "img-h8ly274zg9", require: { imageSource: "mine" } });
  // @ts-expect-error an unknown requirement does not compile
  await getImage({ imageId: "img-h8ly274zg9", require: { osTyp: "linux" } });
  void typo;

  // Platforms are open: JD Cloud adds them.
  await getImage({ imageId: "img-h8ly274zg9", require: { platform: ["Ubuntu", "Rocky Linux"] } });

  // Readonly all the way down.
  // @ts-expect-error the image is readonly
  img.platform = "CentOS";
  // @ts-expect-error snapshots is a readonly array
  img.snapshots.push({ diskSnapshotId: "s", diskSize: 1, diskCategory: "data_disk" });
  const first = img.snapshots[0];
  if (first) {
    // @ts-expect-error a snapshot is readonly
    first.diskSize = 2;
  }
  const disks = instanceDisks(img, { systemDiskSizeGB: 60 });
  // @ts-expect-error the disks instanceDisks returns are readonly
  disks.dataDisks.push(disks.dataDisks[0]);
}
