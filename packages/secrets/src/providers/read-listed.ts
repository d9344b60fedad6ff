import { ProviderError, type SecretProvider } from "./types.js";

/**
 * The values of names a store just listed, read through its provider (batched, secret-free errors),
 * in listing order: a name deleted since the listing is left out, one the identity may not read
 * fails the whole read (permission_denied naming it). For the `read*Secrets` of the entry points.
 */
export async function readListed(provider: SecretProvider, names: readonly string[], signal: AbortSignal): Promise<{ name: string; value: string }[]> {
  const values = await provider.fetch(
    names.map((name) => ({ name, path: name })),
    { signal },
  );
  const out: { name: string; value: string }[] = [];
  for (const name of names) {
    const got = values.get(name);
    if (got?.kind === "ok") out.push({ name, value: got.value });
    else if (got?.kind === "denied") throw new ProviderError("permission_denied", got.message);
  }
  return out;
}
