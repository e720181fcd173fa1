"""describeImage with the official JD Cloud Python SDK's VmClient, unchanged, against an endpoint.

Usage: describe_image.py HOST:PORT ACCESS_KEY SECRET_KEY REGION IMAGE_ID
Prints one JSON line: {"requestId", "error": {code, status, message} | null, "image": {...} | null}.
"""
import json
import sys

from jdcloud_sdk.core.config import Config
from jdcloud_sdk.core.credential import Credential
from jdcloud_sdk.services.vm.apis.DescribeImageRequest import DescribeImageParameters, DescribeImageRequest
from jdcloud_sdk.services.vm.client.VmClient import VmClient



class QuietLogger(object):
    """The SDK prints requests and signing material at its default level; stdout is our answer."""

    def log(self, level, msg):
        pass


endpoint, access_key, secret_key, region, image_id = sys.argv[1:6]
client = VmClient(Credential(access_key, secret_key), Config(endpoint, scheme="http", timeout=10), QuietLogger())
response = client.send(DescribeImageRequest(DescribeImageParameters(region, image_id)))
error = None
if response.error is not None:
    error = {"code": response.error.code, "status": response.error.status, "message": response.error.message}
image = response.result["image"] if response.result else None
print(json.dumps({"requestId": response.request_id, "error": error, "image": image}))
