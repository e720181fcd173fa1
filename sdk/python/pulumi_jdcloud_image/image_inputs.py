# Written by hand, not generated: carried into the generated SDK by the generator's overlays
# (npm run gen-sdk, scripts/gensdk -overlays sdk/overlays).
"""Lets what ``get_image`` and ``find_image`` return be passed wherever an ``Image`` is taken --
``instance_disks(image=...)``, ``terraform_instance_disks(image=...)`` -- as ``get_images``' images
already can be: Pulumi's Python SDK sends mappings (and ``outputs.Image`` is one), while a
function's result class is not one. Importing the package is all it takes: nothing to call.
"""

from collections import abc

from .find_image import FindImageResult
from .get_image import GetImageResult

__all__: list = []


def _fields(result):
    """The result's fields that have a value, by their Pulumi names."""
    return {key: value for key, value in vars(result).items() if value is not None and not key.startswith("_")}


for _result in (GetImageResult, FindImageResult):
    _result.__iter__ = lambda self: iter(_fields(self))
    _result.__getitem__ = lambda self, key: _fields(self)[key]
    _result.__len__ = lambda self: len(_fields(self))
    abc.Mapping.register(_result)
