/** A timestamp in the reader's locale; "" for null. */
export function formatDate(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : "";
}

/** The message of an AdminApiError or any other error, for an alert. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** An ISO timestamp as a datetime-local value (the reader's local time, to the minute); "" for null. */
export function toDateTimeLocal(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (no zone: read as local time) as ISO 8601 UTC; undefined when empty or invalid. */
export function fromDateTimeLocal(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** How long until `iso` from `now`, in the largest whole unit ("3 h", "25 min", "2 d"); null once it has passed. */
export function timeUntil(iso: string, now: number = Date.now()): string | null {
  const ms = new Date(iso).getTime() - now;
  if (!(ms > 0)) return null;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return "< 1 min";
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} d`;
}

/** A period in the largest unit that divides it evenly: "5 s", "5 min", "1 h", "1 d"; odd ones in ms. */
export function formatInterval(ms: number): string {
  for (const [unit, size] of [["d", 86_400_000], ["h", 3_600_000], ["min", 60_000], ["s", 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${unit}`;
  }
  return `${ms} ms`;
}

/**
 * A job's schedule as the API writes it ("every 300000ms", "daily 06:00 UTC"), with an interval
 * in milliseconds turned into words ("every 5 min"); any other form as it is.
 */
export function scheduleText(schedule: string, every: (interval: string) => string): string {
  const interval = /^every (\d+)ms$/.exec(schedule);
  return interval ? every(formatInterval(Number(interval[1]))) : schedule;
}

/**
 * A secret's derived, non-secret metadata on one line (issue #17), e.g.
 * "subject CN=api.example.com · notAfter 2027-01-01 · keyAlgorithm ec"; dates as days.
 */
export function metadataText(metadata: Record<string, string | number | boolean> | undefined): string {
  if (!metadata) return "";
  return Object.entries(metadata)
    .map(([k, v]) => `${k} ${typeof v === "string" && /^\d{4}-\d{2}-\d{2}T/.test(v) ? v.slice(0, 10) : String(v)}`)
    .join(" · ");
}
