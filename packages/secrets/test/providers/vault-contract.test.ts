// The provider contract for Vault KV v2, against the fake Vault over real HTTP (token auth).
import { vault } from "../../src/providers/vault/index.js";
import { startFakeVault } from "../fixtures/vault-server.js";
import { describeProviderContract } from "./contract.js";

describeProviderContract("vault", async ({ naming }) => {
  const server = await startFakeVault();
  return {
    provider: () => vault({ address: server.address, auth: { method: "token", token: server.rootToken }, ...(naming ? { naming } : {}) }),
    badCredentials: () => ({ provider: vault({ address: server.address, auth: { method: "token", token: "hvs.refused-contract-token" } }), credential: "hvs.refused-contract-token" }),
    put: (path, value) => server.put(path, { value }),
    remove: (path) => server.remove(path),
    deny: (path) => server.deny(path),
    throttleNext: (n) => server.throttleNext(n),
    breakNext: (n) => server.breakNext(n),
    healthState(state) {
      server.seal(state === "unavailable");
      server.standby(state === "degraded");
    },
    credentials: [server.rootToken],
    close: () => server.close(),
  };
});
