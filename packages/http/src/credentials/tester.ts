// The admin API calls the connection testers through this (issue #17): the service binds a
// deployment's settings with createCredentialTester; tests may hand in a stand-in.
export type { CredentialTester } from "@keyward/credential-tests";
