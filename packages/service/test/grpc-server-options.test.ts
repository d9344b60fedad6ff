// The configuration's gRPC settings reach the gRPC server's options; unset ones keep its defaults.
import { loadServiceConfig } from "@keyward/common";
import { describe, expect, it } from "vitest";
import { grpcServerOptions } from "../src/server-options.js";

describe("grpcServerOptions", () => {
  it("passes the cache bounds on when set, and leaves them out when not", () => {
    const set = grpcServerOptions(loadServiceConfig({ KEYWARD_CACHE_MAX_ENTRIES: "50000", KEYWARD_CACHE_MAX_AGE_MS: "2000" }, "/srv"));
    expect(set).toMatchObject({ cacheMaxEntries: 50_000, cacheMaxAgeMs: 2000 });
    const unset = grpcServerOptions(loadServiceConfig({}, "/srv"));
    expect("cacheMaxEntries" in unset || "cacheMaxAgeMs" in unset).toBe(false);
  });

  it("passes the audit fold window on when set (folding stays off when not)", () => {
    expect(grpcServerOptions(loadServiceConfig({ KEYWARD_AUDIT_FOLD_READS_MS: "2500" }, "/srv")).auditFoldReadsMs).toBe(2500);
    expect("auditFoldReadsMs" in grpcServerOptions(loadServiceConfig({}, "/srv"))).toBe(false);
  });
});
