// The quickstart in Go: look a JD Cloud image up by ID and export what an instance
// definition needs from it. The lookup runs during `pulumi preview`, so a wrong image
// fails the preview before anything is created.
package main

import (
	"fmt"

	"github.com/pulumi-jdcloud-image/pulumi-jdcloud-image/sdk/go/jdcloudimage"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		imageID := config.Get(ctx, "imageId")
		if imageID == "" {
			imageID = "img-h8ly274zg9"
		}
		image, err := jdcloudimage.GetImage(ctx, &jdcloudimage.GetImageArgs{
			ImageId: imageID,
			Require: &jdcloudimage.ImageRequirements{OsType: []string{"linux"}},
		})
		if err != nil {
			return err
		}
		snapshots := make([]string, 0, len(image.Snapshots))
		for _, s := range image.Snapshots {
			snapshots = append(snapshots, fmt.Sprintf("%s (%s, %d GB)", s.DiskSnapshotId, s.DiskCategory, s.DiskSize))
		}
		ctx.Export("name", pulumi.String(image.Name))
		ctx.Export("platform", pulumi.String(image.Platform))
		ctx.Export("systemDiskSizeGB", pulumi.Int(image.SystemDiskSizeGB))
		ctx.Export("snapshots", pulumi.ToStringArray(snapshots))
		return nil
	})
}
