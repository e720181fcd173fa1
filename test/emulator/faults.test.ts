/** The emulator's fault plan as a function: which requests a rule hits, by count, share and target. */
import { strict as assert } from "node:assert";
import { FaultError, FaultPlan, MAX_LATENCY_MS } from "../../emulator/faults";

/** A random source that returns the given numbers in turn. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}

describe("emulator faults", () => {
  it("hits a share of requests: those whose draw falls under the rate", () => {
    const plan = new FaultPlan();
    plan.add({ kind: "error", rate: 0.5 });
    const random = sequence(0.1, 0.9, 0.4, 0.6, 0.49, 0.5);
    const hits = Array.from({ length: 6 }, () => plan.take({}, random).map((f) => f.kind));
    assert.deepEqual(hits, [["error"], [], ["error"], [], ["error"], []]);
  });

  it("stops after `times` hits, counting only the requests the share picked", () => {
    const plan = new FaultPlan();
    plan.add({ kind: "drop", rate: 0.5, times: 2 });
    const random = sequence(0.9, 0.1, 0.9, 0.2, 0.1);
    const hits = Array.from({ length: 5 }, () => plan.take({}, random).length);
    assert.deepEqual(hits, [0, 1, 0, 1, 0]);
  });

  it("hits only the image and region it names, and adds latency to one other fault", () => {
    const plan = new FaultPlan();
    plan.add({ kind: "latency", ms: 5 });
    plan.add({ kind: "throttle", imageId: "img-a", regionId: "cn-north-1" });
    assert.deepEqual(
      plan.take({ imageId: "img-b", regionId: "cn-north-1" }).map((f) => f.kind),
      ["latency"],
    );
    assert.deepEqual(
      plan.take({ imageId: "img-a", regionId: "cn-east-1" }).map((f) => f.kind),
      ["latency"],
    );
    assert.deepEqual(
      plan.take({ imageId: "img-a", regionId: "cn-north-1" }).map((f) => f.kind),
      ["latency", "throttle"],
    );
  });

  it("refuses a rule it cannot use with a FaultError naming the field", () => {
    const plan = new FaultPlan();
    assert.throws(
      () => plan.add({ kind: "latency", ms: MAX_LATENCY_MS + 1 }),
      (e: unknown) => e instanceof FaultError && /ms/.test(e.message),
    );
    assert.throws(
      () => plan.add({ kind: "error", rate: 2 }),
      (e: unknown) => e instanceof FaultError && /rate/.test(e.message),
    );
  });
});
