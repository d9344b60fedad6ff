import { KeywardError } from "@keyward/common";

/** Loads an optional SDK only when its source is configured; a missing package is named with the install command. */
export async function loadSdk<T>(name: string, source: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
      throw new KeywardError("config", `KEYWARD_MASTER_KEY_SOURCE=${source} needs the package ${name}, which is not installed: run npm install ${name} beside @keyward/service`, {
        field: "KEYWARD_MASTER_KEY_SOURCE",
        reason: "sdk_missing",
      });
    }
    throw error;
  }
}
