"""The quickstart in Python: look a JD Cloud image up by ID and export what an instance
definition needs from it. The lookup runs during `pulumi preview`, so a wrong image fails
the preview before anything is created."""
import pulumi
import pulumi_jdcloud_image as jdcloud_image

config = pulumi.Config()
image_id = config.get("imageId") or "img-h8ly274zg9"

image = jdcloud_image.get_image_output(image_id=image_id, require={"os_type": ["linux"]})

pulumi.export("name", image.name)
pulumi.export("platform", image.platform)
pulumi.export("systemDiskSizeGB", image.system_disk_size_gb)
pulumi.export(
    "snapshots",
    image.snapshots.apply(lambda snaps: [f"{s.disk_snapshot_id} ({s.disk_category}, {s.disk_size} GB)" for s in snaps]),
)

# What an instance definition needs from the image: a system disk that fits it, one data disk per
# data-disk snapshot, in the fields of JD Cloud's createInstances InstanceSpec.
disks = jdcloud_image.instance_disks_output(image=image, system_disk_size_gb=80)
pulumi.export("systemDisk", disks.system_disk)
pulumi.export("dataDisks", disks.data_disks)
