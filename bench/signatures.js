/* Run 3: signatures per second, our signer against the official SDK's, same request. */
"use strict";
const path = require("node:path");
const { officialVm } = require("./clients");

function oursSigner() {
  const { signRequest } = require(path.resolve(__dirname, "../dist/provider/signer"));
  const request = {
    method: "GET",
    path: "/v1/regions/cn-north-1/images/img-h8ly274zg9",
    headers: { host: "coc-vm.jdcloud-api.com", accept: "application/json", "content-type": "application/json" },
  };
  const creds = { accessKey: "AKIDEXAMPLE", secretKey: "SECRETEXAMPLE" };
  let n = 0;
  return () => signRequest(request, creds, { region: "cn-north-1", service: "vm", date: new Date(), nonce: `nonce-${n++}` });
}

function officialSigner() {
  const { core, vm } = officialVm("https://coc-vm.jdcloud-api.com", "AKIDEXAMPLE", "SECRETEXAMPLE", "cn-north-1");
  const SignerV2 = require("jdcloud-sdk-js/src/lib/signers/v2");
  const request = new core.JCRequest(vm, "/regions/{regionId}/images/{imageId}", "GET", { regionId: "cn-north-1", imageId: "img-h8ly274zg9" }, {}, { "User-Agent": "JdcloudSdkNode/1.0.0  vm/1.5.2" }, {}, null, ["application/json"], ["application/json"], null);
  const creds = vm.config.credentials;
  // What the SDK does per request: a signer over the request, then addAuthorization (date, nonce, HMACs).
  return () => new SignerV2(request, "vm").addAuthorization(creds, new Date());
}

/** Best of `rounds` rates, in signatures per second. */
function rate(sign, iterations = 20000, rounds = 5) {
  for (let i = 0; i < 2000; i++) sign();
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) sign();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    best = Math.max(best, iterations / seconds);
  }
  return best;
}

module.exports = { signatureRates: () => ({ ours: rate(oursSigner()), official: rate(officialSigner()) }) };
