/** The process-wide state registry: every cache is listed with a bound and a lifetime, and reset forgets it. */
import { strict as assert } from "node:assert";
import { clearImageCache, getImage, processState } from "../../../sdk/nodejs";
import { withEmulator } from "../../support/world";

describe("process state", () => {
  const world = withEmulator();

  it("lists every cache of the lookup path with what it holds, its bound and its lifetime", () => {
    const names = processState().map((p) => p.name);
    for (const expected of [
      "client: shared answers",
      "client: credential fingerprints",
      "client: in-flight limiters",
      "settings: resolved settings",
      "settings: checked endpoints",
      "transport: parsed endpoints",
      "signer: signing keys",
      "lookup: settings of this turn",
      "sdk: errors by sentence",
    ]) {
      assert.ok(names.includes(expected), `${expected} is not registered`);
    }
    for (const piece of processState()) {
      assert.ok(piece.holds && piece.bound && piece.lifetime, piece.name);
    }
  });

  it("forgets everything it holds on clearImageCache, so the next lookup asks JD Cloud again", async () => {
    await getImage({ imageId: "img-m5s0centos8" }, world.opts());
    const filled = processState()
      .filter((p) => (p.size ?? 0) > 0)
      .map((p) => p.name);
    assert.ok(filled.includes("client: shared answers"), filled.join(", "));
    assert.ok(filled.includes("signer: signing keys"), filled.join(", "));
    clearImageCache();
    for (const piece of processState()) assert.ok(!piece.size, `${piece.name} still holds ${piece.size}`);
    await getImage({ imageId: "img-m5s0centos8" }, world.opts());
    assert.equal(world.emulator.requests.length, 2);
  });
});
