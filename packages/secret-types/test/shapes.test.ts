// The shape parsers the validators and @keyward/credential-tests' connection tests share: every accepted
// spelling yields the same fields, a refusal names the rule (the validator's text) and never the value.
import { describe, expect, it } from "vitest";
import {
  parseAwsAccessKey,
  parseAzureClientSecret,
  parseDatabaseUrl,
  parseGcpServiceAccount,
  parseSmtp,
  type ShapeResult,
} from "../src/index.js";
import { createNodeSecretTypeRegistry, nodePemInspector } from "../src/node.js";
import { makeKeys } from "./keys.js";

const keys = makeKeys();
const registry = createNodeSecretTypeRegistry();
const AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

const value = <T>(result: ShapeResult<T>): T => {
  if (!result.ok) throw new Error(`expected the shape to parse: ${result.problem}`);
  return result.value;
};

/** The parser's problem, checked to be the validator's rule too and to hold none of `secrets`. */
function problem(result: ShapeResult<unknown>, type: string, input: string, secrets: string[]): string {
  if (result.ok) throw new Error("expected a refusal");
  for (const s of secrets) expect(result.problem).not.toContain(s);
  expect(registry.validate(type, input)).toEqual({ ok: false, problem: `type ${type}: ${result.problem}` });
  return result.problem;
}

describe("parseAwsAccessKey", () => {
  it("reads the SDK, STS and credentials-file spellings alike", () => {
    const expected = { accessKeyId: "ASIAIOSFODNN7EXAMPLE", secretAccessKey: AWS_SECRET, sessionToken: "FwoGZXIvYXdzE-token", region: "eu-west-1" };
    const spellings = [
      { accessKeyId: expected.accessKeyId, secretAccessKey: AWS_SECRET, sessionToken: expected.sessionToken },
      { AccessKeyId: expected.accessKeyId, SecretAccessKey: AWS_SECRET, SessionToken: expected.sessionToken },
      { aws_access_key_id: expected.accessKeyId, aws_secret_access_key: AWS_SECRET, aws_session_token: expected.sessionToken },
    ];
    for (const s of spellings) expect(value(parseAwsAccessKey(JSON.stringify({ ...s, region: "eu-west-1" })))).toEqual(expected);
    expect(value(parseAwsAccessKey(JSON.stringify({ accessKeyId: "AKIA1", secretAccessKey: "s" })))).toEqual({ accessKeyId: "AKIA1", secretAccessKey: "s" });
  });

  it("refuses what the connection test could not use, naming the rule", () => {
    const cases: [string, string][] = [
      [`AKIAIOSFODNN7EXAMPLE:${AWS_SECRET}`, 'must be a JSON object ({"accessKeyId", "secretAccessKey"})'],
      [JSON.stringify({ secretAccessKey: AWS_SECRET }), "accessKeyId is missing"],
      [JSON.stringify({ accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: 40 }), "secretAccessKey is missing"],
      [JSON.stringify({ accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: AWS_SECRET, region: "Mars 1" }), "region must be an AWS region name (e.g. eu-west-1)"],
    ];
    for (const [input, rule] of cases) expect(problem(parseAwsAccessKey(input), "aws-access-key", input, [AWS_SECRET])).toBe(rule);
  });
});

describe("parseAzureClientSecret", () => {
  const tenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  const clientId = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
  const clientSecret = "Xy8Q~abcdefghijklmnopqrstuvwxyz0123456";
  it("reads camel case, snake case and the Azure CLI's tenant/appId/password alike", () => {
    for (const [t, c, s] of [["tenantId", "clientId", "clientSecret"], ["tenant_id", "client_id", "client_secret"], ["tenant", "appId", "password"]] as const) {
      expect(value(parseAzureClientSecret(JSON.stringify({ [t]: tenantId, [c]: clientId, [s]: clientSecret })))).toEqual({ tenantId, clientId, clientSecret });
    }
    expect(value(parseAzureClientSecret(JSON.stringify({ tenantId: "contoso.onmicrosoft.com", clientId, clientSecret }))).tenantId).toBe("contoso.onmicrosoft.com");
  });
  it("refuses a tenant that could walk the token URL's path, and missing fields", () => {
    const cases: [string, string][] = [
      [JSON.stringify({ tenantId: "../common", clientId, clientSecret }), "tenantId must be a GUID or a domain (contoso.onmicrosoft.com)"],
      [JSON.stringify({ tenantId: "a/b.example", clientId, clientSecret }), "tenantId must be a GUID or a domain (contoso.onmicrosoft.com)"],
      [JSON.stringify({ tenantId, clientSecret }), "clientId is missing"],
      [JSON.stringify({ tenantId, clientId, clientSecret: "" }), "clientSecret is missing"],
    ];
    for (const [input, rule] of cases) expect(problem(parseAzureClientSecret(input), "azure-client-secret", input, [clientSecret])).toBe(rule);
  });
});

describe("parseGcpServiceAccount", () => {
  const file = (over: Record<string, unknown> = {}) =>
    JSON.stringify({ type: "service_account", project_id: "acme-prod", private_key_id: "abc123", private_key: keys.rsa, client_email: "deployer@acme-prod.iam.gserviceaccount.com", token_uri: "https://oauth2.googleapis.com/token", ...over });
  const keyLine = keys.rsa.split("\n")[1]!;

  it("reads the key file's fields and, with node:crypto, the key's facts", () => {
    expect(value(parseGcpServiceAccount(file(), nodePemInspector))).toEqual({
      clientEmail: "deployer@acme-prod.iam.gserviceaccount.com",
      privateKey: keys.rsa,
      privateKeyId: "abc123",
      projectId: "acme-prod",
      tokenUri: "https://oauth2.googleapis.com/token",
      keyFacts: { keyAlgorithm: "rsa", keySize: 2048 },
    });
    // The browser inspector checks the armour only; a plain-http token_uri is the validator's to refuse.
    expect(value(parseGcpServiceAccount(file({ token_uri: "http://127.0.0.1:9/token" }))).keyFacts).toEqual({});
    expect(registry.validate("gcp-service-account", file({ token_uri: "http://127.0.0.1:9/token" }))).toEqual({ ok: false, problem: "type gcp-service-account: token_uri must be an https URL" });
  });

  it("refuses a key that cannot sign RS256 (not RSA, encrypted) and the file's other mistakes", () => {
    const cases: [string, string][] = [
      [file({ type: "authorized_user" }), 'type must be "service_account"'],
      [file({ client_email: "deployer" }), "client_email must be an email address"],
      [file({ private_key: "" }), "private_key is missing"],
      [file({ private_key: keys.ec }), "private_key must be an RSA key (service accounts sign RS256)"],
      [file({ private_key: keys.encrypted }), "private_key must not be encrypted (a service account signs with it unattended)"],
      [file({ token_uri: "ftp://oauth2.googleapis.com/token" }), "token_uri must be an https URL"],
    ];
    for (const [input, rule] of cases) expect(problem(parseGcpServiceAccount(input, nodePemInspector), "gcp-service-account", input, [keyLine])).toBe(rule);
  });
});

describe("parseSmtp", () => {
  it("reads the URL (percent-decoded, IPv6 unbracketed) and JSON forms alike", () => {
    const login = { host: "mail.example", port: 587, secure: false, user: "mailer@acme.example", pass: "p@ss:w/rd" };
    expect(value(parseSmtp(`smtp://${encodeURIComponent(login.user)}:${encodeURIComponent(login.pass)}@mail.example`))).toEqual(login);
    expect(value(parseSmtp(JSON.stringify({ host: "mail.example", user: login.user, pass: login.pass })))).toEqual(login);
    expect(value(parseSmtp(` smtps://u:p@[::1] `))).toEqual({ host: "::1", port: 465, secure: true, user: "u", pass: "p" });
    expect(value(parseSmtp(JSON.stringify({ host: "h", port: "2525", user: "u", pass: "p" }))).port).toBe(2525);
  });
  it("refuses a login the test could not send, naming the rule", () => {
    const cases: [string, string][] = [
      ["smtp://u:%E0%A4%A-hunter2-pw@mail.example", "the URL's user or password is badly percent-encoded"],
      ["smtp://mail.example", "must carry the user and password to log in with (smtp://user:pass@host)"],
      [JSON.stringify({ host: "h", user: "u", pass: "hunter2-pw", port: 0 }), "port must be a whole number from 1 to 65535"],
    ];
    for (const [input, rule] of cases) expect(problem(parseSmtp(input), "smtp", input, ["hunter2-pw"])).toBe(rule);
  });
});

describe("parseDatabaseUrl", () => {
  it("reads scheme, host, port, database and the URL itself", () => {
    const parsed = value(parseDatabaseUrl("postgres://app:p%40ss@db.internal:5432/orders?sslmode=require"));
    expect({ ...parsed, url: undefined }).toEqual({ scheme: "postgres", host: "db.internal", port: 5432, database: "orders", url: undefined });
    expect(parsed.url.searchParams.get("sslmode")).toBe("require");
    expect(value(parseDatabaseUrl("MONGODB://u:pw@a.example:27017,b.example:27017/app")).host).toBe("a.example");
  });
  it("refuses a badly encoded database name with a rule, where the validator used to throw", () => {
    const input = "postgres://app:hunter2-pw@db.internal/%E0%A4%A";
    expect(problem(parseDatabaseUrl(input), "database-url", input, ["hunter2-pw"])).toBe("the database name is badly percent-encoded");
  });
});
