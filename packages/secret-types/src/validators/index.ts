import type { PemInspector, SecretTypeDefinition } from "../types.js";
import { apiKey } from "./api-key.js";
import { awsAccessKey } from "./aws-access-key.js";
import { azureClientSecret } from "./azure-client-secret.js";
import { databaseUrl } from "./database-url.js";
import { gcpServiceAccount } from "./gcp-service-account.js";
import { generic } from "./generic.js";
import { githubToken } from "./github-token.js";
import { jwtSigningKey } from "./jwt-signing-key.js";
import { llmApiKey } from "./llm-api-key.js";
import { oauth2Client } from "./oauth2-client.js";
import { oauthToken } from "./oauth-token.js";
import { password } from "./password.js";
import { pemCertificate } from "./pem-certificate.js";
import { pemPrivateKey } from "./pem-private-key.js";
import { smtp } from "./smtp.js";
import { sshPrivateKey } from "./ssh-private-key.js";
import { stripeKey } from "./stripe-key.js";
import { webhookSecret } from "./webhook-secret.js";
import { structuralPemInspector } from "../pem.js";

/** Every built-in type's definition; the ones that read PEM use `pem`. */
export function builtInSecretTypes(pem: PemInspector = structuralPemInspector): SecretTypeDefinition[] {
  return [
    apiKey, llmApiKey, databaseUrl, oauthToken, password, generic,
    awsAccessKey, gcpServiceAccount(pem), azureClientSecret, pemCertificate(pem), pemPrivateKey(pem), sshPrivateKey,
    jwtSigningKey(pem), oauth2Client, webhookSecret, stripeKey, githubToken, smtp,
  ];
}
