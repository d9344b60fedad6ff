import { KeywardError } from "@keyward/common";

/** Loads an optional SDK only when an S3 sink is used; a missing package is named with the install command. */
export async function loadSdk<T>(name: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
      throw new KeywardError("config", `an s3:// audit archive sink needs the package ${name}, which is not installed: run npm install ${name} beside @keyward/audit-archive`, {
        field: "KEYWARD_AUDIT_ARCHIVE_SINK",
        reason: "sdk_missing",
        cause: error,
      });
    }
    throw error;
  }
}
