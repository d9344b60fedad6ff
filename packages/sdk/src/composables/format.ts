/** A timestamp in the reader's locale; "" for null. */
export function formatDate(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : "";
}

/** The message of an AdminApiError or any other error, for an alert. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
