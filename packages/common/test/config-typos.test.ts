import { describe, expect, it } from "vitest";
import { misspelledServiceVariables, serviceEnvSchema } from "../src/index.js";

describe("misspelled service variables", () => {
  it("names a KEYWARD_ variable a letter or two from one the service reads, with the one it likely meant", () => {
    expect(
      misspelledServiceVariables({
        KEYWARD_HTTP_PROT: "9000",
        KEYWARD_GRCP_PORT: "1",
        KEYWARD_LOGLEVEL: "debug",
        KEYWARD_DATA_DIRR: "/x",
        KEYWARD_VAULT_TOKN: "t",
      }),
    ).toEqual([
      { name: "KEYWARD_DATA_DIRR", meant: "KEYWARD_DATA_DIR" },
      { name: "KEYWARD_GRCP_PORT", meant: "KEYWARD_GRPC_PORT" },
      { name: "KEYWARD_HTTP_PROT", meant: "KEYWARD_HTTP_PORT" },
      { name: "KEYWARD_LOGLEVEL", meant: "KEYWARD_LOG_LEVEL" },
      { name: "KEYWARD_VAULT_TOKN", meant: "KEYWARD_VAULT_TOKEN" },
    ]);
  });

  it("says nothing of the variables Keyward reads, of other programs' variables, or of names far from any", () => {
    const known = Object.fromEntries(Object.keys(serviceEnvSchema.properties).map((k) => [k, "1"]));
    const elsewhere = { KEYWARD_URL: "u", KEYWARD_TOKEN: "t", KEYWARD_NOTIFY_POLL_MS: "5", KEYWARD_NEW_MASTER_PASSPHRASE: "p", KEYWARD_BENCH_SCALE: "1", KEYWARD_TEST_PG_ADMIN_URL: "x" };
    expect(misspelledServiceVariables({ ...known, ...elsewhere, PATH: "/bin", HTTP_PROT: "1", KEYWARD_MY_APP_SETTING: "1" })).toEqual([]);
  });
});
