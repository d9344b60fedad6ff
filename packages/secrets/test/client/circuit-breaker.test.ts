import { describe, expect, it } from "vitest";
import { createCircuitBreaker } from "../../src/index.js";

function setup() {
  let now = 1_000;
  const clock = { now: () => now };
  const breaker = createCircuitBreaker({ failureThreshold: 3, resetAfterMs: 5_000 }, clock);
  return { breaker, advance: (ms: number) => (now += ms) };
}

describe("createCircuitBreaker", () => {
  it("opens after failureThreshold consecutive failures and refuses calls while open", () => {
    const { breaker } = setup();
    for (let i = 0; i < 2; i++) {
      expect(breaker.tryAcquire()).toBe(true);
      breaker.onFailure();
    }
    expect(breaker.state).toBe("closed");
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onFailure();
    expect(breaker.state).toBe("open");
    expect(breaker.tryAcquire()).toBe(false);
  });

  it("a success resets the count of consecutive failures", () => {
    const { breaker } = setup();
    breaker.onFailure();
    breaker.onFailure();
    breaker.onSuccess();
    breaker.onFailure();
    breaker.onFailure();
    expect(breaker.state).toBe("closed");
  });

  it("lets exactly one trial through after resetAfterMs; success closes it", () => {
    const { breaker, advance } = setup();
    for (let i = 0; i < 3; i++) breaker.onFailure();
    advance(4_999);
    expect(breaker.tryAcquire()).toBe(false);
    advance(1);
    expect(breaker.state).toBe("half-open");
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.onSuccess();
    expect(breaker.state).toBe("closed");
    expect(breaker.tryAcquire()).toBe(true);
  });

  it("a failed trial opens it again for another resetAfterMs", () => {
    const { breaker, advance } = setup();
    for (let i = 0; i < 3; i++) breaker.onFailure();
    advance(5_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onFailure();
    expect(breaker.state).toBe("open");
    advance(4_999);
    expect(breaker.tryAcquire()).toBe(false);
    advance(1);
    expect(breaker.tryAcquire()).toBe(true);
  });
});
