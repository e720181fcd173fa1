"""describeImages with the official JD Cloud Python SDK's VmClient, unchanged, against an endpoint.

Usage: describe_images.py HOST:PORT ACCESS_KEY SECRET_KEY REGION PAGE_SIZE [ID ...]
With IDs, asks for those images; without, for every public image, page after page.
Prints one JSON line: {"error": {code, status, message} | null, "ids": [...], "totalCount": N, "pages": N}.
"""
import json
import sys

from jdcloud_sdk.core.config import Config
from jdcloud_sdk.core.credential import Credential
from jdcloud_sdk.services.vm.apis.DescribeImagesRequest import DescribeImagesParameters, DescribeImagesRequest
from jdcloud_sdk.services.vm.client.VmClient import VmClient


class QuietLogger(object):
    """The SDK prints requests and signing material at its default level; stdout is our answer."""

    def log(self, level, msg):
        pass


endpoint, access_key, secret_key, region, page_size = sys.argv[1:6]
ids = sys.argv[6:]
client = VmClient(Credential(access_key, secret_key), Config(endpoint, scheme="http", timeout=10), QuietLogger())
found, total, pages, error = [], 0, 0, None
while True:
    parameters = DescribeImagesParameters(region)
    if ids:
        parameters.setIds(ids)
    else:
        parameters.setImageSource("public")
    parameters.setPageSize(int(page_size))
    parameters.setPageNumber(pages + 1)
    response = client.send(DescribeImagesRequest(parameters))
    pages += 1
    if response.error is not None:
        error = {"code": response.error.code, "status": response.error.status, "message": response.error.message}
        break
    found += [image["imageId"] for image in response.result["images"]]
    total = response.result["totalCount"]
    if ids or pages * int(page_size) >= total:
        break
print(json.dumps({"error": error, "ids": found, "totalCount": total, "pages": pages}))
