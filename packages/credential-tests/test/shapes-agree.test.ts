// The type's validator (@keyward/secret-types) and the connection test read each credential shape with one
// parser: every spelling the validator accepts reaches the fake target with the right fields, and a
// malformed value gets the same problem text from both, without the value.
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { createNodeSecretTypeRegistry } from "@keyward/secret-types/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testCredential, type CredentialTestOptions } from "../src/index.js";
import { makeServiceAccount, startEntraTokenFake, startGoogleTokenFake } from "./fixtures/oauth-tokens.js";
import type { Fake } from "./fixtures/servers.js";
import { startSmtpFake, type SmtpFake } from "./fixtures/smtp.js";
import { startStsFake, type StsFake } from "./fixtures/sts.js";
import { expectFailure } from "./helpers.js";

const registry = createNodeSecretTypeRegistry();

/** Accepted by the validator (with no refusal text to show). */
function expectValid(type: string, value: string): void {
  const result = registry.validate(type, value);
  expect(result.ok ? "accepted" : result.problem).toBe("accepted");
}

/**
 * Refused by the validator and by the tester (before any connection) with the same rule: "type <type>: <rule>"
 * and "<what>: <rule>"; neither holds the value's secret parts.
 */
async function expectSameProblem(type: string, what: string, value: string, secrets: string[], options: CredentialTestOptions = {}): Promise<string> {
  const validated = registry.validate(type, value);
  expect(validated.ok).toBe(false);
  if (validated.ok) return "";
  expect(validated.problem.startsWith(`type ${type}: `)).toBe(true);
  const rule = validated.problem.slice(`type ${type}: `.length);
  const tested = await testCredential(type, value, options);
  expectFailure(tested, "invalid", secrets);
  if (tested.status === "error") expect(tested.error).toBe(`${what}: ${rule}`);
  for (const secret of secrets) expect(validated.problem).not.toContain(secret);
  return rule;
}

describe("aws-access-key", () => {
  const REGION = "eu-west-1";
  const long = { id: "AKIAKEYWARDTESTAAAAA", secret: randomBytes(30).toString("base64") };
  const temp = { id: "ASIAKEYWARDTESTBBBBB", secret: randomBytes(30).toString("base64"), token: `FwoGZXIvYXdzE${randomBytes(24).toString("base64url")}` };
  let stsLong: StsFake, stsTemp: StsFake;
  beforeAll(async () => {
    [stsLong, stsTemp] = await Promise.all([
      startStsFake({ accessKeyId: long.id, secretAccessKey: long.secret }, REGION),
      startStsFake({ accessKeyId: temp.id, secretAccessKey: temp.secret }, REGION),
    ]);
  });
  afterAll(async () => {
    await Promise.all([stsLong, stsTemp].map((f) => f?.close()));
  });

  const spellings = [
    ["accessKeyId", "secretAccessKey", "sessionToken"], // the AWS SDKs
    ["AccessKeyId", "SecretAccessKey", "SessionToken"], // STS's answers
    ["aws_access_key_id", "aws_secret_access_key", "aws_session_token"], // ~/.aws/credentials
  ] as const;

  it.each(spellings)("%s / %s: the validator accepts it and STS sees the key pair (and %s)", async (idKey, secretKey, tokenKey) => {
    const permanent = JSON.stringify({ [idKey]: long.id, [secretKey]: long.secret, region: REGION });
    expectValid("aws-access-key", permanent);
    expect(await testCredential("aws-access-key", permanent, { baseUrls: { "aws-sts": stsLong.url } })).toEqual({ status: "connected" });
    expect(stsLong.accepted.at(-1)).toBe(long.id);
    expect(stsLong.sessionTokens.at(-1)).toBeUndefined();

    const temporary = JSON.stringify({ [idKey]: temp.id, [secretKey]: temp.secret, [tokenKey]: temp.token, region: REGION });
    expectValid("aws-access-key", temporary);
    expect(await testCredential("aws-access-key", temporary, { baseUrls: { "aws-sts": stsTemp.url } })).toEqual({ status: "connected" });
    expect(stsTemp.accepted.at(-1)).toBe(temp.id);
    expect(stsTemp.sessionTokens.at(-1)).toBe(temp.token);
  });

  it("refuses malformed values with the same rule in both, before calling STS", async () => {
    const hits = stsLong.hits;
    const what = "AWS access key";
    const cases: [string, string][] = [
      [`${long.id}:${long.secret}`, 'must be a JSON object ({"accessKeyId", "secretAccessKey"})'],
      ["[1,2]", 'must be a JSON object ({"accessKeyId", "secretAccessKey"})'],
      [JSON.stringify({ secretAccessKey: long.secret }), "accessKeyId is missing"],
      [JSON.stringify({ AccessKeyId: long.id, secretAccessKey: "" }), "secretAccessKey is missing"],
      [JSON.stringify({ accessKeyId: long.id, secretAccessKey: long.secret, region: "Mars 1" }), "region must be an AWS region name (e.g. eu-west-1)"],
      [JSON.stringify({ accessKeyId: long.id, secretAccessKey: long.secret, region: 5 }), "region must be an AWS region name (e.g. eu-west-1)"],
    ];
    for (const [value, rule] of cases) expect(await expectSameProblem("aws-access-key", what, value, [long.secret], { baseUrls: { "aws-sts": stsLong.url } })).toBe(rule);
    expect(stsLong.hits).toBe(hits);
  });
});

describe("azure-client-secret", () => {
  const app = { tenantId: randomUUID(), clientId: randomUUID(), clientSecret: `Kw8Q~${randomBytes(20).toString("base64url")}` };
  let entra: Fake;
  beforeAll(async () => {
    entra = await startEntraTokenFake(app);
  });
  afterAll(async () => {
    await entra?.close();
  });
  const baseUrls = () => ({ "azure-authority": entra.url });

  const spellings = [
    ["tenantId", "clientId", "clientSecret"],
    ["tenant_id", "client_id", "client_secret"],
    ["tenant", "appId", "password"], // az ad sp create-for-rbac
  ] as const;

  it.each(spellings)("%s / %s / %s: the validator accepts it and Entra ID gets tenant, client and secret", async (tenantKey, clientKey, secretKey) => {
    const value = JSON.stringify({ [tenantKey]: app.tenantId, [clientKey]: app.clientId, [secretKey]: app.clientSecret });
    expectValid("azure-client-secret", value);
    const hits = entra.hits;
    // The fake issues a token only for this tenant (the URL's path), client id and secret (the form).
    expect(await testCredential("azure-client-secret", value, { baseUrls: baseUrls() })).toEqual({ status: "connected" });
    expect(entra.hits).toBe(hits + 1);
  });

  it("refuses malformed values with the same rule in both, before calling Entra ID", async () => {
    const hits = entra.hits;
    const cases: [string, string][] = [
      ["tenant=x;secret=y", 'must be a JSON object ({"tenantId", "clientId", "clientSecret"})'],
      [JSON.stringify({ clientId: app.clientId, clientSecret: app.clientSecret }), "tenantId is missing"],
      [JSON.stringify({ ...app, tenantId: "../evil" }), "tenantId must be a GUID or a domain (contoso.onmicrosoft.com)"],
      [JSON.stringify({ tenantId: app.tenantId, clientSecret: app.clientSecret }), "clientId is missing"],
      [JSON.stringify({ tenantId: app.tenantId, appId: app.clientId }), "clientSecret is missing"],
    ];
    for (const [value, rule] of cases) expect(await expectSameProblem("azure-client-secret", "Azure client secret", value, [app.clientSecret], { baseUrls: baseUrls() })).toBe(rule);
    expect(entra.hits).toBe(hits);
  });
});

describe("gcp-service-account", () => {
  const GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token";
  const account = makeServiceAccount(GOOGLE_TOKEN_URI);
  const keyLine = account.json.private_key!.split("\n")[1]!;
  let google: Fake;
  beforeAll(async () => {
    google = await startGoogleTokenFake({ email: account.json.client_email!, publicKey: account.publicKey, audience: GOOGLE_TOKEN_URI });
  });
  afterAll(async () => {
    await google?.close();
  });
  const baseUrls = () => ({ "gcp-token": `${google.url}/token` });

  it("the validator accepts the key file and Google's endpoint verifies the assertion (issuer, key, audience)", async () => {
    const value = JSON.stringify(account.json);
    expectValid("gcp-service-account", value);
    expect(await testCredential("gcp-service-account", value, { baseUrls: baseUrls() })).toEqual({ status: "connected" });
  });

  it("refuses malformed key files with the same rule in both, before calling Google", async () => {
    const hits = google.hits;
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const encrypted = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "keyward-test" }).toString();
    const file = (over: Record<string, unknown>) => JSON.stringify({ ...account.json, ...over });
    const cases: [string, string][] = [
      ["{not json", "must be a JSON object (a service account key file)"],
      [file({ type: undefined }), 'type must be "service_account"'],
      [file({ client_email: "not-an-email" }), "client_email must be an email address"],
      [file({ private_key: undefined }), "private_key is missing"],
      [file({ private_key: "-----BEGIN PRIVATE KEY-----\nnotakeyatallnotakeyatall\n-----END PRIVATE KEY-----\n" }), "private_key: is not a parseable private key"],
      [file({ private_key: ec }), "private_key must be an RSA key (service accounts sign RS256)"],
      [file({ private_key: encrypted }), "private_key must not be encrypted (a service account signs with it unattended)"],
      [file({ token_uri: "ftp://oauth2.googleapis.com/token" }), "token_uri must be an https URL"],
    ];
    for (const [value, rule] of cases) expect(await expectSameProblem("gcp-service-account", "GCP service account", value, [keyLine, ec.split("\n")[1]!], { baseUrls: baseUrls() })).toBe(rule);
    expect(google.hits).toBe(hits);
  });
});

describe("smtp", () => {
  const account = { user: "mailer@example.test", pass: "p@ss:w/rd-7Hq2Lx9" };
  let smtp: SmtpFake;
  beforeAll(async () => {
    smtp = await startSmtpFake(account);
  });
  afterAll(async () => {
    await smtp?.close();
  });

  it("each form the validator accepts logs in with the same user and password", async () => {
    const forms = [
      `smtp://${encodeURIComponent(account.user)}:${encodeURIComponent(account.pass)}@127.0.0.1:${smtp.port}`,
      JSON.stringify({ host: "127.0.0.1", port: smtp.port, user: account.user, pass: account.pass }),
      JSON.stringify({ host: "127.0.0.1", port: String(smtp.port), secure: false, ...account }),
    ];
    for (const value of forms) {
      expectValid("smtp", value);
      const logins = smtp.logins.length;
      expect(await testCredential("smtp", value)).toEqual({ status: "connected" });
      // The fake counts a login as ok only for this user and password.
      expect(smtp.logins.slice(logins)).toEqual([{ user: account.user, ok: true }]);
    }
  });

  it("refuses malformed values with the same rule in both, before connecting", async () => {
    const logins = smtp.logins.length;
    const secret = "hunter2-Secret-Pass";
    const cases: [string, string][] = [
      [`${secret}@127.0.0.1`, "must be an smtp:// or smtps:// URL, or JSON"],
      [`https://u:${secret}@127.0.0.1`, "the URL's scheme must be smtp or smtps"],
      [`smtp://127.0.0.1:${smtp.port}`, "must carry the user and password to log in with (smtp://user:pass@host)"],
      [`smtp://u%E0%A4%A:${secret}@127.0.0.1:${smtp.port}`, "the URL's user or password is badly percent-encoded"],
      [`{"host": "127.0.0.1", "pass": "${secret}"`, 'must be a JSON object ({"host", "port", "secure", "user", "pass"})'],
      [JSON.stringify({ user: "u", pass: secret }), "host is missing"],
      [JSON.stringify({ host: "127.0.0.1", user: "u" }), "pass is missing"],
      [JSON.stringify({ host: "127.0.0.1", user: "u", pass: secret, secure: "yes" }), "secure must be true or false"],
      [JSON.stringify({ host: "127.0.0.1", user: "u", pass: secret, port: 70_000 }), "port must be a whole number from 1 to 65535"],
    ];
    for (const [value, rule] of cases) expect(await expectSameProblem("smtp", "SMTP", value, [secret])).toBe(rule);
    expect(smtp.logins.length).toBe(logins);
  });
});

describe("database-url", () => {
  const admin = new URL(process.env.KEYWARD_TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
  const password = "pw-Shapes-2f9a41e0";

  it("a postgres:// or postgresql:// URL the validator accepts connects", async () => {
    const url = new URL(admin.href);
    url.password = password; // trust auth ignores it
    for (const value of [url.href, url.href.replace(/^postgres:/, "postgresql:")]) {
      expectValid("database-url", value);
      expect(await testCredential("database-url", value)).toEqual({ status: "connected" });
    }
  });

  it("refuses malformed URLs with the same rule in both, before connecting", async () => {
    const cases: [string, string][] = [
      [`host=db password=${password}`, "must be a URL scheme://host/… (e.g. postgres://host:5432/db)"],
      ["postgres:///app", "must name a host"],
      [`postgres://app:${password}@127.0.0.1:99999/app`, "must be a valid URL (check the host, the port and that the password is percent-encoded)"],
      [`postgres://app:${password}@127.0.0.1/%E0%A4%A`, "the database name is badly percent-encoded"],
    ];
    for (const [value, rule] of cases) expect(await expectSameProblem("database-url", "database URL", value, [password])).toBe(rule);
  });

  it("names a scheme the type accepts but no tester serves, and echoes no other", async () => {
    expectValid("database-url", `mysql://root:${password}@db:3306/app`);
    expectFailure(await testCredential("database-url", `mysql://root:${password}@db:3306/app`), "invalid", [password], /^no tester for scheme mysql$/);
    expect(registry.validate("database-url", "jdbc-pw123456789://x").ok).toBe(false);
    expectFailure(await testCredential("database-url", "jdbc-pw123456789://x"), "invalid", ["jdbc-pw123456789"], /^no tester for scheme$/);
  });
});
