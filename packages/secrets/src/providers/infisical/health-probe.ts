/** Where health() looks: the configured project, environment and folder. */
export interface ProbeTarget {
  siteUrl: string;
  projectId: string;
  environment: string;
  secretPath: string;
}

/**
 * One GET of the folder listing, without values, the path @infisical/sdk lists with. Not through the
 * SDK: it retries a 429 itself for about 15 s (1, 2, 4, 8 s) and cannot be told not to, which would
 * turn a throttled Infisical into a health check that times out instead of reporting degraded.
 * Returns the HTTP status; a network failure rejects.
 */
export async function probeFolder(target: ProbeTarget, accessToken: string, signal: AbortSignal): Promise<number> {
  const base = target.siteUrl.endsWith("/") ? target.siteUrl : `${target.siteUrl}/`;
  const url = new URL("api/v3/secrets/raw", base);
  url.searchParams.set("workspaceId", target.projectId);
  url.searchParams.set("environment", target.environment);
  url.searchParams.set("secretPath", target.secretPath);
  url.searchParams.set("viewSecretValue", "false");
  const res = await fetch(url, { headers: { authorization: `Bearer ${accessToken}` }, signal });
  await res.body?.cancel();
  return res.status;
}
