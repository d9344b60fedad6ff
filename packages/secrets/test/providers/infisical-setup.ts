// The Infisical provider against the local Infisical, for infisical.test.ts and the provider contract.
import { createInfisicalProvider, type InfisicalProviderConfig } from "../../src/providers/infisical/index.js";
import type { FakeInfisical } from "../fixtures/infisical-server.js";

export const configFor = (fake: FakeInfisical, extra: Partial<InfisicalProviderConfig> = {}): InfisicalProviderConfig => ({
  siteUrl: fake.siteUrl,
  clientId: fake.clientId,
  clientSecret: fake.clientSecret,
  projectId: fake.projectId,
  environment: fake.environment,
  ...extra,
});

/** A provider logged in with the fake's machine identity, and the knobs of the store behind it. */
export function setupInfisical(fake: FakeInfisical, extra: Partial<InfisicalProviderConfig> = {}) {
  const provider = createInfisicalProvider(configFor(fake, extra));
  return {
    provider,
    put: (path: string, value: string) => fake.put(path, value),
    remove: (path: string) => fake.remove(path),
    deny: (path: string) => fake.deny(path),
    throttleNext: (n: number) => fake.throttleNext(n),
    breakNext: (n: number) => fake.breakNext(n),
  };
}
