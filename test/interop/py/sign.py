"""Signs requests with the official JD Cloud Python SDK's signer (jdcloud_sdk.core.signer).

Reads a JSON list of cases on stdin; writes a JSON list of the headers the SDK set, one object per
case. The date and nonce are given as headers, which the SDK's signer uses instead of its clock.
"""
import json
import sys

from jdcloud_sdk.core.credential import Credential
from jdcloud_sdk.core.signer import Signer


class QuietLogger(object):
    """The SDK logs every canonical request; nothing of that belongs on our stdout."""

    def log(self, level, msg):
        pass


def sign(case):
    headers = dict(case["headers"])
    Signer(QuietLogger()).sign(
        method=case["method"],
        service=case["service"],
        region=case["region"],
        uri=case["url"],
        headers=headers,
        data=case.get("body", ""),
        credential=Credential(case["accessKey"], case["secretKey"]),
        security_token=case.get("securityToken", ""),
    )
    return headers


json.dump([sign(case) for case in json.load(sys.stdin)], sys.stdout)
