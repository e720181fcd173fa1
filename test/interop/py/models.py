"""The official jdcloud-sdk's createInstances and Image models, read from the installed SDK: the
parameters of each model's constructor (its fields), as JSON. With a JSON list of InstanceSpec
disk attachments on stdin, also builds each with the SDK's own model classes and prints what they
hold (so a key the models do not take fails here, as it would for a Python program).

    python models.py [--build]
"""
import inspect
import json
import sys

from jdcloud_sdk.services.disk.models.DiskSpec import DiskSpec
from jdcloud_sdk.services.vm.models.Image import Image
from jdcloud_sdk.services.vm.models.InstanceDiskAttachment import InstanceDiskAttachment
from jdcloud_sdk.services.vm.models.InstanceDiskAttachmentSpec import InstanceDiskAttachmentSpec
from jdcloud_sdk.services.vm.models.InstanceSpec import InstanceSpec
from jdcloud_sdk.services.vm.models.LocalDisk import LocalDisk

MODELS = {
    "InstanceSpec": InstanceSpec,
    "InstanceDiskAttachmentSpec": InstanceDiskAttachmentSpec,
    "DiskSpec": DiskSpec,
    "Image": Image,
    "InstanceDiskAttachment": InstanceDiskAttachment,
    "LocalDisk": LocalDisk,
}


def fields(model):
    return [name for name in inspect.signature(model.__init__).parameters if name != "self"]


def build(attachment):
    """An InstanceDiskAttachmentSpec built from a JSON attachment, its cloudDiskSpec a DiskSpec (in an availability zone, which an instance gives it)."""
    spec = attachment.get("cloudDiskSpec")
    disk = None
    if spec is not None:
        disk = DiskSpec(**{"az": "cn-north-1a", "name": spec.get("name", "system"), **spec})
    built = InstanceDiskAttachmentSpec(**{**attachment, "cloudDiskSpec": disk})
    out = {k: v for k, v in vars(built).items() if v is not None}
    if disk is not None:
        out["cloudDiskSpec"] = {k: v for k, v in vars(disk).items() if v is not None}
    return out


if __name__ == "__main__":
    if sys.argv[1:] == ["--build"]:
        print(json.dumps([build(a) for a in json.load(sys.stdin)]))
    else:
        print(json.dumps({name: fields(model) for name, model in MODELS.items()}))
