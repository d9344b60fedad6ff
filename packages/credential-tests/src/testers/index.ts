import type { Tester } from "../tester.js";
import { awsAccessKeyTester } from "./aws-access-key.js";
import { azureClientSecretTester } from "./azure-client-secret.js";
import { databaseUrlTester } from "./database-url.js";
import { gcpServiceAccountTester } from "./gcp-service-account.js";
import { githubTester } from "./github.js";
import { llmApiKeyTester } from "./llm-api-key.js";
import { smtpTester } from "./smtp.js";
import { stripeTester } from "./stripe.js";

export { anthropicTester } from "./anthropic.js";
export { openaiTester } from "./openai.js";
export { llmProviderOf } from "./llm-api-key.js";
export { parseSmtpValue } from "./smtp.js";
export { serviceAccountAssertion } from "./gcp-service-account.js";

/** The testers by secret type name (the names of issue #17's type registry; `smtp` is this package's own). */
export const testers: Readonly<Record<string, Tester>> = Object.freeze({
  "llm-api-key": llmApiKeyTester,
  "stripe-key": stripeTester,
  "github-token": githubTester,
  "database-url": databaseUrlTester,
  smtp: smtpTester,
  "aws-access-key": awsAccessKeyTester,
  "gcp-service-account": gcpServiceAccountTester,
  "azure-client-secret": azureClientSecretTester,
});
