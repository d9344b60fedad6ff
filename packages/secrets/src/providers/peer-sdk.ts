import { createRequire } from "node:module";
import { ProviderError } from "./types.js";

const requireHere = createRequire(import.meta.url);

/** Whether `error` says that `pkg` itself (not one of its own dependencies) is not installed. */
const isMissing = (error: unknown, pkg: string) =>
  error instanceof Error && (error as { code?: string }).code === "MODULE_NOT_FOUND" && error.message.startsWith(`Cannot find module '${pkg}'`);

/**
 * Loads a provider's SDK, an optional peer dependency, when the provider is created rather than
 * when its entry point is imported: a static import of a missing package fails while Node links the
 * modules, with an error that does not say what to install. `load` is require, injectable for tests.
 */
export function loadPeerSdk<T>(pkg: string, provider: string, load: (id: string) => unknown = requireHere): T {
  try {
    return load(pkg) as T;
  } catch (error) {
    if (!isMissing(error, pkg)) throw error;
    throw new ProviderError("invalid_config", `the ${provider} provider needs the package ${pkg}, an optional peer dependency of @keyward/secrets: install it (npm install ${pkg})`);
  }
}
