/**
 * The origin a redirect's Location points to (resolved against the URL that was asked), for an error
 * that names where it pointed: never its path or query, which could hold anything. Undefined without
 * a readable Location.
 */
export function redirectOrigin(res: Response, requested: string | URL): string | undefined {
  const location = res.headers.get("location");
  if (!location) return undefined;
  try {
    return new URL(location, requested).origin;
  } catch {
    return undefined;
  }
}
