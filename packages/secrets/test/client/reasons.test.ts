import { Reason } from "@keyward/proto";
import { describe, expect, expectTypeOf, it } from "vitest";
import { parseReasonText, reasonText, type ServerReason } from "../../src/index.js";

describe("reasons derived from the proto Reason enum", () => {
  it("maps every enum value to its lower-case name and back", () => {
    const values = Object.values(Reason).filter((v): v is Reason => typeof v === "number" && v > 0);
    expect(values.length).toBeGreaterThan(10);
    for (const value of values) {
      const text = reasonText(value)!;
      expect(`REASON_${text.toUpperCase()}`).toBe(Reason[value]);
      expect(parseReasonText(text)).toBe(text);
    }
    expect(reasonText(Reason.REASON_TOKEN_PENDING)).toBe("token_pending");
    expect(reasonText(Reason.REASON_TOKEN_EXPIRED)).toBe("token_expired");
    expect(parseReasonText("token_expired")).toBe("token_expired");
  });

  it("has no text for UNSPECIFIED or unknown values, and rejects unknown trailers", () => {
    expect(reasonText(Reason.REASON_UNSPECIFIED)).toBeUndefined();
    expect(reasonText(Reason.UNRECOGNIZED)).toBeUndefined();
    expect(reasonText(999 as Reason)).toBeUndefined();
    expect(parseReasonText("unspecified")).toBeUndefined();
    expect(parseReasonText("not_a_reason")).toBeUndefined();
  });

  it("types the reasons from the enum's keys", () => {
    expectTypeOf<"token_pending">().toExtend<ServerReason>();
    expectTypeOf<"rate_limited">().toExtend<ServerReason>();
    expectTypeOf<"token_expired">().toExtend<ServerReason>();
    expectTypeOf<"unspecified">().not.toExtend<ServerReason>();
  });
});
