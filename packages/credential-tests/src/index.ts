export { createCredentialTester, type CredentialTester } from "./create-tester.js";
export { hasTester, testCredential, testableTypes } from "./test-credential.js";
export { BASE_URL_NAMES, DEFAULT_TIMEOUT_MS } from "./result.js";
export type { BaseUrlName, CredentialTestErrorCode, CredentialTestOptions, CredentialTestResult } from "./result.js";
export type { Tester, TesterContext } from "./tester.js";
export { anthropicTester, llmProviderOf, openaiTester, parseSmtpValue, serviceAccountAssertion, testers } from "./testers/index.js";
