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
