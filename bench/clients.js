/*
 * The three clients the benchmarks compare, each reading one image by ID:
 * ours (getImage), the official jdcloud-sdk-js VM client, and the floor — a
 * minimal signed client on Node's http with a keep-alive agent, no retries and
 * no parsing beyond JSON.parse.
 */
"use strict";
const http = require("node:http");
const { randomUUID } = require("node:crypto");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const dist = (p) => require(path.join(ROOT, "dist", p));

/** Our client: the package's public getImage. */
function ours(settings) {
  const { getImage, clearImageCache } = dist("sdk");
  const opts = { endpoint: settings.endpoint, accessKey: settings.accessKey, secretKey: settings.secretKey, region: settings.region };
  return { lookup: (imageId) => getImage({ imageId }, opts), reset: clearImageCache };
}

/**
 * The official SDK's VM service for an endpoint, with its core module. Its global
 * logger prints signing material, so it is silenced.
 */
function officialVm(endpoint, accessKey, secretKey, region) {
  const core = require("jdcloud-sdk-js/src/lib/core");
  require("jdcloud-sdk-js/src/lib/node_loader");
  core.config.logger = () => undefined;
  const VM = require("jdcloud-sdk-js/src/repo/vm/v1/vm");
  const url = new URL(endpoint);
  const vm = new VM({
    credentials: { accessKeyId: accessKey, secretAccessKey: secretKey },
    regionId: region,
    endpoint: { host: url.host, protocol: url.protocol.replace(":", "") },
    logger: () => undefined,
  });
  return { core, vm };
}

/** The official SDK's VM client. */
function official(settings) {
  const { vm } = officialVm(settings.endpoint, settings.accessKey, settings.secretKey, settings.region);
  return { lookup: (imageId) => vm.describeImage({ imageId }, settings.region).then((r) => r.result.image), reset: () => undefined };
}

/** The floor: sign (with the same signer), GET over a keep-alive agent, JSON.parse. */
function floor(settings) {
  const { signRequest } = dist("provider/signer");
  const agent = new http.Agent({ keepAlive: true });
  const url = new URL(settings.endpoint);
  const lookup = (imageId) =>
    new Promise((resolve, reject) => {
      const p = `/v1/regions/${settings.region}/images/${imageId}`;
      const headers = signRequest(
        { method: "GET", path: p, headers: { host: url.host, accept: "application/json", "content-type": "application/json" } },
        settings,
        { region: settings.region, service: "vm", date: new Date(), nonce: randomUUID() },
      );
      const req = http.request({ host: url.hostname, port: url.port, path: p, method: "GET", headers, agent }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (body += c));
        res.on("end", () => (res.statusCode === 200 ? resolve(JSON.parse(body).result.image) : reject(new Error(`HTTP ${res.statusCode}`))));
      });
      req.on("error", reject);
      req.end();
    });
  return { lookup, reset: () => undefined };
}

module.exports = { ours, official, officialVm, floor };
