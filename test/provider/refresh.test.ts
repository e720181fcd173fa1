/**
 * Refresh keeps the user's state: ImageLookup's and ImageSearch's `read` drop a resource only when
 * JD Cloud says twice, in two ways, that the image is gone (describeImage not-found, and describeImages
 * by `ids` answering a complete list without it). Every other answer fails the refresh and changes
 * nothing — over real HTTP against the emulator, its fixtures and its faults.
 */
import { strict as assert } from "node:assert";
import { configure, read as readLookup, search } from "../../provider/imageProvider";
import {
  AuthenticationError,
  ImageNotFoundError,
  InvalidResponseError,
  JdcloudApiError,
  JdcloudImageError,
  NetworkError,
  ThrottledError,
  UnconfirmedAbsenceError,
} from "../../provider/jdcloud/errors";
import fc from "fast-check";
import { builtinImages } from "../../emulator/builtinImages";
import { Scripted, scripted } from "../support/scripted";
import { emulatorEnvironment, withEmulator } from "../support/world";

const REGION = "cn-north-1";
const IMAGE = "img-h8ly274zg9";
type Props = Record<string, unknown>;

/** The two resources whose refresh could lose a user's state, each with its state as `up` left it. */
const RESOURCES: ReadonlyArray<{
  name: string;
  create(): Promise<{ id: string; outs: Props }>;
  read(id: string, props: Props): Promise<{ id: string; props: Props }>;
}> = [
  {
    name: "ImageLookup",
    create: () => Promise.resolve({ id: IMAGE, outs: { imageId: IMAGE, regionId: REGION, platform: "Ubuntu" } }),
    read: readLookup,
  },
  {
    name: "ImageSearch",
    create: () => search.create({ criteria: { imageSource: "private", name: "web-app-golden-2026-11", regionId: REGION } }),
    read: search.read,
  },
];

describe("refresh drops state only on a definite absence", () => {
  const world = withEmulator();
  emulatorEnvironment(world, { JDCLOUD_REGION: REGION });
  afterEach(async () => {
    await configure({ config: { get: () => undefined } });
  });

  /** Reads a resource and expects its refresh to fail with `errorClass`, leaving nothing dropped. */
  async function refreshFails(
    resource: (typeof RESOURCES)[number],
    id: string,
    outs: Props,
    errorClass: new (...a: never[]) => Error,
  ): Promise<Error> {
    let result: unknown;
    try {
      result = await resource.read(id, outs);
    } catch (err) {
      assert.ok(err instanceof errorClass, `${resource.name}: expected ${errorClass.name}, got ${String(err)}`);
      return err;
    }
    assert.fail(`${resource.name}: the refresh returned ${JSON.stringify(result)} instead of failing`);
  }

  for (const resource of RESOURCES) {
    describe(resource.name, () => {
      it("drops the resource when describeImage says not-found and describeImages by ids confirms it", async () => {
        const { id, outs } = await resource.create();
        assert.ok(world.emulator.removeImage(REGION, IMAGE));
        assert.deepEqual(await resource.read(id, outs), { id: "", props: {} });
        const [described, listed] = world.emulator.requests.slice(-2);
        assert.equal(described?.path, `/v1/regions/${REGION}/images/${IMAGE}`);
        assert.equal(listed?.path, `/v1/regions/${REGION}/images`);
        assert.match(listed?.query ?? "", new RegExp(`(^|&)ids\\.1=${IMAGE}(&|$)`));
      });

      it("keeps it when a 404 NOT_FOUND with another message comes from a gateway while describeImages lists the image", async () => {
        const { id, outs } = await resource.create();
        world.emulator.inject({
          kind: "error",
          httpStatus: 404,
          status: "NOT_FOUND",
          message: "route not found",
          operation: "describeImage",
        });
        const err = await refreshFails(resource, id, outs, UnconfirmedAbsenceError);
        assert.match(err.message, new RegExp(`describeImage found no image '${IMAGE}' in region ${REGION}.*describeImages still lists it`));
        assert.match(err.message, /nothing was dropped from state/);
      });

      const listFaults: ReadonlyArray<[string, Parameters<typeof world.emulator.inject>[0], new (...a: never[]) => Error]> = [
        ["a 500 INTERNAL", { kind: "error", httpStatus: 500, status: "INTERNAL" }, JdcloudApiError],
        ["a 429 throttle", { kind: "throttle", retryAfterSeconds: 0 }, ThrottledError],
        ["a body that is not JD Cloud's shape", { kind: "malformed", body: '{"result":{"images":"none"}}' }, InvalidResponseError],
        ["a dropped connection", { kind: "drop" }, NetworkError],
        ["a 403 refusal", { kind: "error", httpStatus: 403, status: "ACCESS_ERROR" }, AuthenticationError],
      ];
      for (const [what, fault, errorClass] of listFaults) {
        it(`keeps it when the image is gone but describeImages answers ${what}`, async () => {
          const { id, outs } = await resource.create();
          world.emulator.removeImage(REGION, IMAGE);
          world.emulator.inject({ ...fault, operation: "describeImages" });
          await refreshFails(resource, id, outs, errorClass);
        });
      }

      it("keeps it when describeImages ignores ids and lists other images (not a complete answer)", async () => {
        const { id, outs } = await resource.create();
        world.emulator.removeImage(REGION, IMAGE);
        world.emulator.inject({
          kind: "malformed",
          httpStatus: 200,
          body: JSON.stringify({ requestId: "r", result: { images: [], totalCount: 7 } }),
          operation: "describeImages",
        });
        await refreshFails(resource, id, outs, UnconfirmedAbsenceError);
      });

      it("keeps it through describeImage errors (no absence was said at all)", async () => {
        const { id, outs } = await resource.create();
        world.emulator.inject({ kind: "error", httpStatus: 503, status: "UNKNOWN", operation: "describeImage" });
        await refreshFails(resource, id, outs, JdcloudApiError);
      });

      it("keeps it when describeImage times out", async () => {
        const { id, outs } = await resource.create();
        await configure({ config: { get: (key) => ({ "jdcloud-image:timeoutMs": "200", "jdcloud-image:maxRetries": "0" })[key] } });
        world.emulator.inject({ kind: "latency", ms: 1500, operation: "describeImage" });
        const err = await refreshFails(resource, id, outs, NetworkError);
        assert.equal((err as NetworkError).timedOut, true);
      });

      it("a not-found that is not the image's own (404 without NOT_FOUND) is an error, never an absence", async () => {
        const { id, outs } = await resource.create();
        world.emulator.inject({ kind: "error", httpStatus: 404, status: "HTTP_NOT_FOUND", operation: "describeImage" });
        const err = await refreshFails(resource, id, outs, JdcloudApiError);
        assert.ok(!(err instanceof ImageNotFoundError));
      });
    });
  }
});

describe("refresh, as a property: any sequence of answers drops state only after a definite absence", function () {
  this.timeout(120_000);
  // PROPERTY_RUNS=2000 for a deeper search than the default, which keeps `npm test` fast.
  const RUNS = Number(process.env["PROPERTY_RUNS"] ?? 100);
  const image = builtinImages().find((i) => i.regionId === REGION && i.imageId === IMAGE);
  const other = builtinImages().find((i) => i.regionId === REGION && i.imageId !== IMAGE);
  if (!image || !other) throw new Error("the built-in images have two in cn-north-1");
  const { regionId: _r, ...apiImage } = image;
  const { regionId: _o, ...apiOther } = other;

  /** Every kind of answer a server may give, to either call. */
  const ANSWERS = {
    found: [200, { requestId: "r", result: { image: apiImage } }],
    notFound: [404, { requestId: "r", error: { code: 404, status: "NOT_FOUND", message: `Image '${IMAGE}' not found` } }],
    gatewayNotFound: [404, { requestId: "r", error: { code: 404, status: "HTTP_NOT_FOUND", message: "no route" } }],
    internal: [500, { requestId: "r", error: { code: 500, status: "INTERNAL", message: "Internal server error" } }],
    throttled: [429, { requestId: "r", error: { code: 429, status: "TOO_MANY_REQUESTS", message: "slow down" } }],
    refused: [401, { requestId: "r", error: { code: 401, status: "ACCESS_ERROR", message: "bad signature" } }],
    malformed: [200, "<html>502 Bad Gateway</html>"],
    listWithout: [200, { requestId: "r", result: { images: [], totalCount: 0 } }],
    listWith: [200, { requestId: "r", result: { images: [apiImage], totalCount: 1 } }],
    listOthers: [200, { requestId: "r", result: { images: [apiOther], totalCount: 5 } }],
  } as const;
  type Kind = keyof typeof ANSWERS;

  let server: Scripted;
  let script: Kind[] = [];
  let log: Array<{ list: boolean; kind: Kind }> = [];
  before(async () => {
    server = await scripted((req, res) => {
      const kind = script.shift() ?? "internal";
      log.push({ list: (req.url ?? "").split("?")[0]?.endsWith("/images") ?? false, kind });
      const [status, body] = ANSWERS[kind];
      const text = typeof body === "string" ? body : JSON.stringify(body);
      res.writeHead(status, { "content-type": "application/json", ...(status === 429 ? { "retry-after": "0" } : {}) });
      res.end(text);
    });
  });
  after(() => server.close());
  afterEach(async () => {
    await configure({ config: { get: () => undefined } });
  });

  it("ImageLookup and ImageSearch alike: gone only when describeImage said not-found and describeImages then listed nothing", async () => {
    const kinds = Object.keys(ANSWERS) as Kind[];
    await fc.assert(
      fc.asyncProperty(
        // Weighted toward the answers that decide an absence, so short runs meet them together.
        fc.array(
          fc.oneof(
            ...kinds.map((kind) => ({
              arbitrary: fc.constant(kind),
              weight: kind === "notFound" ? 4 : kind.startsWith("list") || kind === "found" ? 2 : 1,
            })),
          ),
          { maxLength: 8 },
        ),
        fc.integer({ min: 0, max: 2 }),
        fc.constantFrom(...RESOURCES.map((r) => r.name)),
        async (answers, maxRetries, which) => {
          const resource = RESOURCES.find((r) => r.name === which);
          assert.ok(resource);
          const config: Record<string, string> = {
            "jdcloud-image:endpoint": server.endpoint,
            "jdcloud-image:accessKey": "PROPAK",
            "jdcloud-image:secretKey": "PROPSECRETKEY",
            "jdcloud-image:region": REGION,
            "jdcloud-image:maxRetries": String(maxRetries),
          };
          await configure({ config: { get: (key) => config[key] } });
          const criteria = { imageSource: "private", name: image.name, regionId: REGION };
          const props: Props =
            which === "ImageLookup" ? { imageId: IMAGE, regionId: REGION } : { criteria, regionId: REGION, imageId: IMAGE };
          script = [...answers];
          log = [];
          const outcome = await resource.read(IMAGE, props).then(
            (r) => (r.id === "" ? "gone" : "kept"),
            (err: unknown) => {
              assert.ok(err instanceof JdcloudImageError, `not one of our errors: ${String(err)}`);
              return "failed";
            },
          );
          const lastDescribe = log.filter((e) => !e.list).at(-1);
          const lists = log.filter((e) => e.list);
          if (outcome === "gone") {
            assert.equal(lastDescribe?.kind, "notFound", JSON.stringify(log));
            // After the not-found, describeImages was asked, and its final answer (after retries of a
            // 5xx or 429) was a complete list without the image.
            assert.equal(lists.at(-1)?.kind, "listWithout", JSON.stringify(log));
            assert.ok(lastDescribe && lists[0] && log.indexOf(lists[0]) > log.lastIndexOf(lastDescribe), JSON.stringify(log));
          } else if (outcome === "kept") {
            assert.equal(lastDescribe?.kind, "found", JSON.stringify(log));
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
