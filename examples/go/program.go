// The quickstart in Go: look a JD Cloud image up by ID and export what an instance
// definition needs from it. The lookup runs during `pulumi preview`, so a wrong image
// fails the preview before anything is created. The Output form keeps a secret image ID
// secret in every field, and waits for inputs that are other resources' outputs.
package main

import (
	"fmt"

	"github.com/pulumi-jdcloud-image/pulumi-jdcloud-image/sdk/go/jdcloudimage"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// program is the stack's program; main.go runs it with pulumi.Run, and the Automation API can run
// it as an inline program.
func program(ctx *pulumi.Context) error {
	imageID := config.Get(ctx, "imageId")
	if imageID == "" {
		imageID = "img-h8ly274zg9"
	}
	image := jdcloudimage.GetImageOutput(ctx, jdcloudimage.GetImageOutputArgs{
		ImageId: pulumi.String(imageID),
		Require: jdcloudimage.ImageRequirementsArgs{OsType: pulumi.ToStringArray([]string{"linux"})},
	})
	ctx.Export("name", image.Name())
	ctx.Export("platform", image.Platform())
	ctx.Export("systemDiskSizeGB", image.SystemDiskSizeGB())
	ctx.Export("snapshots", image.Snapshots().ApplyT(func(snapshots []jdcloudimage.Snapshot) []string {
		lines := make([]string, 0, len(snapshots))
		for _, s := range snapshots {
			lines = append(lines, fmt.Sprintf("%s (%s, %d GB)", s.DiskSnapshotId, s.DiskCategory, s.DiskSize))
		}
		return lines
	}))

	// What an instance definition needs from the image: a system disk that fits it, one data disk
	// per data-disk snapshot, in the fields of JD Cloud's createInstances InstanceSpec. The result
	// of GetImage has the fields of Image: a conversion passes it on.
	disks := jdcloudimage.InstanceDisksOutput(ctx, jdcloudimage.InstanceDisksOutputArgs{
		Image: image.ApplyT(func(r jdcloudimage.GetImageResult) jdcloudimage.Image {
			return jdcloudimage.Image(r)
		}).(jdcloudimage.ImageOutput),
		SystemDiskSizeGB: pulumi.Int(80),
	})
	ctx.Export("systemDisk", disks.SystemDisk())
	ctx.Export("dataDisks", disks.DataDisks())
	return nil
}
