/**
 * The official jdcloud-sdk-js, used only as an oracle: its signer and its VM
 * client. Its global logger prints signing material, so it is silenced here.
 */

// The SDK ships no types; these describe the parts the tests touch.
interface SdkHeaders {
  set(name: string, value: string): void;
  get(name: string): string | null;
  forEach(fn: (value: string, key: string) => void): void;
}
interface SdkRequest {
  path: string;
  request: { url: string; method: string; headers: SdkHeaders };
}
interface SdkSigner {
  authorization(credentials: { accessKeyId: string; secretAccessKey: string }, datetime: string): string;
  addAuthorization(credentials: unknown, date: Date): void;
}
interface VmClient {
  describeImage(opts: { imageId: string }, regionId: string): Promise<{ requestId: string; result: { image: Record<string, unknown> } }>;
  describeImages(
    opts: { imageSource?: string; platform?: string; ids?: string[]; imageName?: string; pageNumber?: number; pageSize?: number },
    regionId: string,
  ): Promise<{ requestId: string; result: { images: Array<Record<string, unknown>>; totalCount: number } }>;
  createInstances(
    opts: { instanceSpec: Record<string, unknown>; maxCount?: number },
    regionId: string,
  ): Promise<{ requestId: string; result: { instanceIds: string[] } }>;
}

const core = require("jdcloud-sdk-js/src/lib/core") as { config: { logger: (...args: unknown[]) => void } };
require("jdcloud-sdk-js/src/lib/node_loader");
core.config.logger = () => undefined;

const VM = require("jdcloud-sdk-js/src/repo/vm/v1/vm") as new (options: Record<string, unknown>) => VmClient & {
  config: unknown;
};
const JCRequest = (core as unknown as { JCRequest: new (...args: unknown[]) => SdkRequest }).JCRequest;
const SignerV2 = require("jdcloud-sdk-js/src/lib/signers/v2") as new (request: SdkRequest, service: string) => SdkSigner;

/** A VM client of the official SDK pointed at an endpoint URL. */
export function officialVmClient(endpoint: string, accessKey: string, secretKey: string, regionId = "cn-north-1"): VmClient {
  const url = new URL(endpoint);
  return new VM({
    credentials: { accessKeyId: accessKey, secretAccessKey: secretKey },
    regionId,
    endpoint: { host: url.host, protocol: url.protocol.replace(":", "") },
    logger: () => undefined,
  });
}

/** What the official SDK builds and signs for one request. */
export interface OracleInput {
  readonly host: string;
  readonly path: string;
  readonly pathParams: Record<string, string>;
  readonly queryParams?: Record<string, string | number>;
  readonly headerParams?: Record<string, string>;
  readonly regionId: string;
  readonly service: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly datetime: string;
  readonly nonce: string;
}

/** The official SDK's request (path, query, headers) and its Authorization header. */
export function officialSignature(input: OracleInput): {
  path: string;
  query: string;
  headers: Record<string, string>;
  authorization: string;
} {
  const service = new VM({
    credentials: { accessKeyId: input.accessKey, secretAccessKey: input.secretKey },
    regionId: input.regionId,
    endpoint: { host: input.host, protocol: "https" },
    logger: () => undefined,
  });
  const request = new JCRequest(
    service,
    input.path,
    "GET",
    { ...input.pathParams, regionId: input.regionId },
    input.queryParams ?? {},
    { "User-Agent": "JdcloudSdkNode/1.0.0  vm/1.5.2", ...(input.headerParams ?? {}) },
    {},
    null,
    ["application/json"],
    ["application/json"],
    null,
  );
  const signer = new SignerV2(request, input.service);
  request.request.headers.set("x-jdcloud-date", input.datetime);
  request.request.headers.set("x-jdcloud-nonce", input.nonce);
  request.request.headers.set("host", input.host);
  const authorization = signer.authorization({ accessKeyId: input.accessKey, secretAccessKey: input.secretKey }, input.datetime);
  const headers: Record<string, string> = {};
  request.request.headers.forEach((value, key) => {
    headers[key] = value;
  });
  const url = request.request.url;
  const q = url.indexOf("?");
  return { path: request.path, query: q < 0 ? "" : url.slice(q + 1), headers, authorization };
}

/**
 * What the official SDK does to sign each request it sends (a signer over the request, then
 * `addAuthorization`: date, nonce, HMACs), as a function to call repeatedly (benchmarks).
 */
export function officialSigningLoop(accessKey: string, secretKey: string): () => void {
  const service = new VM({
    credentials: { accessKeyId: accessKey, secretAccessKey: secretKey },
    regionId: "cn-north-1",
    endpoint: { host: "coc-vm.jdcloud-api.com", protocol: "https" },
    logger: () => undefined,
  }) as VmClient & { config: { credentials: unknown } };
  const request = new JCRequest(
    service,
    "/regions/{regionId}/images/{imageId}",
    "GET",
    { regionId: "cn-north-1", imageId: "img-h8ly274zg9" },
    {},
    { "User-Agent": "JdcloudSdkNode/1.0.0  vm/1.5.2" },
    {},
    null,
    ["application/json"],
    ["application/json"],
    null,
  );
  const credentials = service.config.credentials;
  return () => new SignerV2(request, "vm").addAuthorization(credentials, new Date());
}
