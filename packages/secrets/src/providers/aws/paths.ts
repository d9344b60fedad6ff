/**
 * A provider path names a secret (name or ARN) and, after a `#`, optionally one key of the JSON
 * object the secret holds: "prod/billing#STRIPE_API_KEY". Secrets Manager names and ARNs never
 * contain `#`, so the split is unambiguous.
 */
export interface AwsSecretPath {
  secretId: string;
  jsonKey?: string;
}

export function parseAwsPath(path: string): AwsSecretPath {
  const at = path.indexOf("#");
  if (at < 0) return { secretId: path };
  return { secretId: path.slice(0, at), jsonKey: path.slice(at + 1) };
}

/** The path for one key of a JSON secret, for a naming function: awsJsonKey("prod/billing", "STRIPE_API_KEY"). */
export function awsJsonKey(secretId: string, jsonKey: string): string {
  return `${secretId}#${jsonKey}`;
}
