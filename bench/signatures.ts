/** Run 3: signatures per second, our signer against the official SDK's, same request. */
import * as path from "node:path";
import { officialSigningLoop } from "../test/support/officialSdk";

function oursSigner(): () => void {
  const { signRequest } = require(
    path.resolve(__dirname, "../dist/provider/jdcloud/signer"),
  ) as typeof import("../provider/jdcloud/signer");
  const request = {
    method: "GET",
    path: "/v1/regions/cn-north-1/images/img-h8ly274zg9",
    headers: { host: "coc-vm.jdcloud-api.com", accept: "application/json", "content-type": "application/json" },
  };
  const creds = { accessKey: "AKIDEXAMPLE", secretKey: "SECRETEXAMPLE" };
  let n = 0;
  return () => {
    signRequest(request, creds, { region: "cn-north-1", service: "vm", date: new Date(), nonce: `nonce-${n++}` });
  };
}

/** Best of `rounds` rates, in signatures per second. */
function rate(sign: () => void, iterations = 20000, rounds = 5): number {
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

/** Signatures per second of ours and of the official SDK. */
export function signatureRates(): { ours: number; official: number } {
  return { ours: rate(oursSigner()), official: rate(officialSigningLoop("AKIDEXAMPLE", "SECRETEXAMPLE")) };
}
