import { describe, expect, it } from "vitest";
import { createSecretTypeRegistry } from "../src/index.js";
import { createNodeSecretTypeRegistry } from "../src/node.js";
import { makeKeys } from "./keys.js";

const keys = makeKeys();
const server = createNodeSecretTypeRegistry();
const browser = createSecretTypeRegistry();

/** Validates and, on a refusal, asserts the problem names the type and never contains the value. */
function check(type: string, value: string, registry = server) {
  const result = registry.validate(type, value);
  if (!result.ok) {
    expect(result.problem.startsWith(`type ${type}: `)).toBe(true);
    if (value.length >= 4) expect(result.problem).not.toContain(value);
  }
  return result;
}
const accepted = (type: string, value: string, registry = server) => {
  const r = check(type, value, registry);
  if (!r.ok) throw new Error(`expected ${type} to accept: ${r.problem}`);
  return r.metadata;
};
const refused = (type: string, value: string, registry = server) => {
  const r = check(type, value, registry);
  if (r.ok) throw new Error(`expected ${type} to refuse`);
  return r.problem;
};

const b62 = (n: number) => "aB3dE5fG7h".repeat(Math.ceil(n / 10)).slice(0, n);
const AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

describe("generic, password, api-key, oauth-token", () => {
  it("accept ordinary values and refuse empty or broken ones", () => {
    expect(accepted("generic", "anything at all")).toEqual({});
    expect(refused("generic", "")).toBe("type generic: must not be empty");
    expect(accepted("password", "correct horse battery staple")).toEqual({});
    expect(refused("password", "line one\nline two")).toBe("type password: must be on one line");
    expect(accepted("api-key", "key_1234567890abcdef")).toEqual({});
    expect(refused("api-key", "key 1234")).toBe("type api-key: must not contain whitespace or control characters");
    expect(refused("api-key", "key1234\n")).toMatch(/whitespace/);
    expect(accepted("oauth-token", "ya29.a0AfH6SMBx-token")).toEqual({});
    expect(refused("oauth-token", "")).toBe("type oauth-token: must not be empty");
  });
});

describe("llm-api-key", () => {
  it("accepts OpenAI and Anthropic shapes and names the provider", () => {
    expect(accepted("llm-api-key", `sk-${b62(48)}`)).toEqual({ provider: "openai" });
    expect(accepted("llm-api-key", `sk-proj-${b62(40)}_${b62(40)}-x`)).toEqual({ provider: "openai" });
    expect(accepted("llm-api-key", `sk-ant-api03-${b62(80)}-${b62(10)}AA`)).toEqual({ provider: "anthropic" });
  });
  it("refuses other prefixes and short keys, naming the rule", () => {
    expect(refused("llm-api-key", `pk-${b62(48)}`)).toBe("type llm-api-key: must start with sk- (OpenAI sk-… or sk-proj-…, Anthropic sk-ant-…)");
    expect(refused("llm-api-key", "sk-short")).toMatch(/at least 20/);
    expect(refused("llm-api-key", `sk-${b62(30)} `)).toMatch(/whitespace/);
  });
});

describe("stripe-key", () => {
  it("accepts secret and restricted keys in live and test mode", () => {
    expect(accepted("stripe-key", `sk_live_${b62(24)}`)).toEqual({ mode: "live", kind: "secret" });
    expect(accepted("stripe-key", `sk_test_${b62(99)}`)).toEqual({ mode: "test", kind: "secret" });
    expect(accepted("stripe-key", `rk_live_${b62(24)}`)).toEqual({ mode: "live", kind: "restricted" });
  });
  it("refuses other shapes", () => {
    expect(refused("stripe-key", `sk-live-${b62(24)}`)).toMatch(/must start with sk_live_, sk_test_/);
    expect(refused("stripe-key", `sk_prod_${b62(24)}`)).toMatch(/must start with/);
    expect(refused("stripe-key", "sk_test_abc")).toMatch(/at least 16/);
  });
});

describe("github-token", () => {
  it("accepts the prefixed formats and names the kind", () => {
    expect(accepted("github-token", `ghp_${b62(36)}`)).toEqual({ kind: "personal access token" });
    expect(accepted("github-token", `github_pat_11${b62(20)}_${b62(59)}`)).toEqual({ kind: "fine-grained personal access token" });
    expect(accepted("github-token", `gho_${b62(36)}`)).toEqual({ kind: "OAuth token" });
  });
  it("refuses a wrong prefix or length", () => {
    expect(refused("github-token", `ghx_${b62(36)}`)).toMatch(/must start with ghp_/);
    expect(refused("github-token", `ghp_${b62(35)}`)).toMatch(/36 letters or digits/);
  });
});

describe("webhook-secret", () => {
  it("accepts long secrets, spots Stripe's, refuses short ones", () => {
    expect(accepted("webhook-secret", `whsec_${b62(32)}`)).toEqual({ provider: "stripe" });
    expect(accepted("webhook-secret", b62(40))).toEqual({});
    expect(refused("webhook-secret", "short")).toBe("type webhook-secret: must be at least 16 characters");
  });
});

describe("aws-access-key", () => {
  it("accepts SDK- and STS-shaped JSON and keeps only the id's prefix", () => {
    const m = accepted("aws-access-key", JSON.stringify({ accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: AWS_SECRET }));
    expect(m).toEqual({ accessKeyIdPrefix: "AKIA", temporary: false });
    expect(JSON.stringify(m)).not.toContain("IOSFODNN7EXAMPLE");
    expect(accepted("aws-access-key", JSON.stringify({ AccessKeyId: "ASIAIOSFODNN7EXAMPLE", SecretAccessKey: AWS_SECRET, SessionToken: "FwoGZXIvYXdzE" }))).toEqual({ accessKeyIdPrefix: "ASIA", temporary: true });
  });
  it("refuses non-JSON, a bad id, a bad secret and a temporary key without its session token", () => {
    expect(refused("aws-access-key", "AKIAIOSFODNN7EXAMPLE:secret")).toMatch(/must be a JSON object/);
    expect(refused("aws-access-key", JSON.stringify({ accessKeyId: "AKIA123", secretAccessKey: AWS_SECRET }))).toMatch(/accessKeyId must be AKIA or ASIA/);
    expect(refused("aws-access-key", JSON.stringify({ accessKeyId: "AKIAIOSFODNN7EXAMPLE" }))).toBe("type aws-access-key: secretAccessKey is missing");
    const short = JSON.stringify({ accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "tooShortSecret" });
    expect(refused("aws-access-key", short)).toMatch(/secretAccessKey must be 40 characters/);
    expect(refused("aws-access-key", short)).not.toContain("tooShortSecret");
    expect(refused("aws-access-key", JSON.stringify({ accessKeyId: "ASIAIOSFODNN7EXAMPLE", secretAccessKey: AWS_SECRET }))).toMatch(/sessionToken is required/);
  });
});

describe("azure-client-secret and oauth2-client", () => {
  const tenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  const clientId = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
  it("accept the JSON shapes and keep only the non-secret ids", () => {
    expect(accepted("azure-client-secret", JSON.stringify({ tenantId, clientId, clientSecret: "Xy8Q~abcdefghijklmnopqrstuvwxyz0123456" }))).toEqual({ tenantId, clientId });
    expect(accepted("oauth2-client", JSON.stringify({ client_id: "my-app", client_secret: "s3cr3t-value", token_url: "https://auth.example.com/token" }))).toEqual({ clientId: "my-app", tokenUrl: "https://auth.example.com/token" });
  });
  it("refuse missing fields, a non-GUID client id and a plain-http token URL", () => {
    expect(refused("azure-client-secret", JSON.stringify({ tenantId, clientId: "app", clientSecret: "Xy8Q~abcdefghijklmnopqrstuvwxyz0123456" }))).toBe("type azure-client-secret: clientId must be a GUID");
    expect(refused("azure-client-secret", JSON.stringify({ clientId, clientSecret: "x".repeat(20) }))).toBe("type azure-client-secret: tenantId is missing");
    expect(refused("oauth2-client", JSON.stringify({ clientId: "my-app" }))).toBe("type oauth2-client: clientSecret is missing");
    expect(refused("oauth2-client", JSON.stringify({ clientId: "a", clientSecret: "b", tokenUrl: "http://auth" }))).toMatch(/tokenUrl must be an https URL/);
    expect(refused("oauth2-client", "[1,2]")).toMatch(/must be a JSON object/);
  });
  it("keep only a token URL's endpoint in the metadata, and refuse one carrying credentials", () => {
    const secret = "S3cr3tValue-" + "x".repeat(8);
    const withQuery = accepted("oauth2-client", JSON.stringify({ clientId: "a", clientSecret: "b", tokenUrl: `https://idp.example/oauth/token?client_secret=${secret}#${secret}` }));
    expect(withQuery).toEqual({ clientId: "a", tokenUrl: "https://idp.example/oauth/token" });
    for (const tokenUrl of [`https://app:${secret}@idp.example/token`, `https://app@idp.example/token`, `https://idp.example/t?x=1@${secret}`]) {
      const message = refused("oauth2-client", JSON.stringify({ clientId: "a", clientSecret: "b", tokenUrl }));
      expect(message).toMatch(/tokenUrl must not carry a user or password/);
      expect(message).not.toContain(secret);
    }
  });
});

describe("database-url", () => {
  it("derives scheme, host, port and database, never the user or password", () => {
    const m = accepted("database-url", "postgres://app:p%40ss-w0rd@db.internal:5432/orders?sslmode=require");
    expect(m).toEqual({ scheme: "postgres", host: "db.internal", port: 5432, database: "orders" });
    expect(JSON.stringify(m)).not.toMatch(/app|ss-w0rd/);
    expect(accepted("database-url", "mysql://root:pw@127.0.0.1/shop")).toEqual({ scheme: "mysql", host: "127.0.0.1", database: "shop" });
    expect(accepted("database-url", "mongodb://u:pw@a.example:27017,b.example:27017/app?replicaSet=rs0")).toEqual({ scheme: "mongodb", host: "a.example", port: 27017, database: "app" });
    expect(accepted("database-url", "rediss://:pw@cache.example:6380/0")).toEqual({ scheme: "rediss", host: "cache.example", port: 6380, database: "0" });
  });
  it("refuses other schemes, non-URLs and URLs without a host", () => {
    expect(refused("database-url", "http://db.example/x")).toMatch(/^type database-url: scheme must be one of postgres/);
    expect(refused("database-url", "host=db user=app password=secret-pw")).toMatch(/must be a URL/);
    expect(refused("database-url", "postgres://app:pw@db.example:99999/x")).toMatch(/must be a valid URL/);
    expect(refused("database-url", "postgres:///orders")).toMatch(/must be a valid URL|must name a host/);
  });
  it("refuses a password whose unencoded /, ? or # would put part of it in the host, port or database", () => {
    for (const value of ["postgres://app:8080/s3cr3t@db.internal/app", "postgres://app:Xy7@Qw9#zz@db/app", "mysql://root:a?b@db/shop", "mongodb://u:pa/ss@a.example:27017,b.example/app"]) {
      const message = refused("database-url", value);
      expect(message, value).toMatch(/percent-encode/);
      expect(message).not.toMatch(/s3cr3t|Qw9|zz|a\?b|pa\/ss/);
    }
    // Encoded, the same passwords are fine, and only the host and database are kept.
    expect(accepted("database-url", "postgres://app:8080%2Fs3cr3t@db.internal/app")).toEqual({ scheme: "postgres", host: "db.internal", database: "app" });
    expect(accepted("database-url", "postgres://app:Xy7%40Qw9%23zz@db/app")).toEqual({ scheme: "postgres", host: "db", database: "app" });
  });
});

describe("smtp", () => {
  it("accepts the shapes the connection test logs in with; derives host, port and TLS, never the login", () => {
    const m = accepted("smtp", "smtp://mailer%40acme.example:s3cret-Pass@smtp.acme.example");
    expect(m).toEqual({ host: "smtp.acme.example", port: 587, secure: false });
    expect(JSON.stringify(m)).not.toMatch(/mailer|s3cret/);
    expect(accepted("smtp", "smtps://u:p@mail.example:2465")).toEqual({ host: "mail.example", port: 2465, secure: true });
    // An unencoded / in the password would make part of it the host: refused.
    expect(refused("smtp", "smtp://u:p@x/ss@mail.example")).toMatch(/percent-encode/);
    expect(accepted("smtp", JSON.stringify({ host: "mail.example", secure: true, user: "u", pass: "hunter2-long" }))).toEqual({ host: "mail.example", port: 465, secure: true });
  });
  it("refuses other schemes, a missing login, a bad port and broken JSON, naming the rule", () => {
    expect(refused("smtp", "https://u:p@mail.example")).toBe("type smtp: the URL's scheme must be smtp or smtps");
    expect(refused("smtp", "smtp://mail.example")).toMatch(/must carry the user and password/);
    expect(refused("smtp", JSON.stringify({ host: "mail.example", user: "u" }))).toBe("type smtp: pass is missing");
    expect(refused("smtp", JSON.stringify({ host: "mail.example", user: "u", pass: "p-long-enough", port: 70000 }))).toMatch(/port must be a whole number/);
    expect(refused("smtp", JSON.stringify({ host: "mail.example", user: "u", pass: "p-long-enough", secure: "yes" }))).toBe("type smtp: secure must be true or false");
    expect(refused("smtp", "{not json")).toMatch(/must be a JSON object/);
    expect(refused("smtp", "mail.example:587")).toMatch(/must be an smtp:\/\/ or smtps:\/\/ URL, or JSON|scheme must be smtp/);
  });
});

describe("pem-certificate (and its alias certificate)", () => {
  it("parses subject, issuer, notAfter and the key on the server", () => {
    const m = accepted("pem-certificate", keys.cert);
    expect(m).toMatchObject({ subject: "CN=api.example.com, O=Keyward Test", issuer: "CN=api.example.com, O=Keyward Test", keyAlgorithm: "ec", keyCurve: "prime256v1" });
    const days = (Date.parse(m.notAfter as string) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(9);
    expect(days).toBeLessThan(11);
    expect(accepted("certificate", keys.cert)).toEqual(m);
    expect(server.canonical("certificate")).toBe("pem-certificate");
  });
  it("refuses a key, a damaged body and plain text; the browser registry checks the armour", () => {
    expect(refused("pem-certificate", keys.rsa)).toMatch(/BEGIN CERTIFICATE/);
    const damaged = keys.cert.replace(/\n[A-Za-z0-9+/]{20}/, "\nAAAAAAAAAAAAAAAAAAAA");
    expect(refused("pem-certificate", damaged)).toBe("type pem-certificate: is not a parseable X.509 certificate");
    expect(refused("certificate", "not a cert")).toMatch(/^type certificate: must be one PEM block/);
    expect(accepted("pem-certificate", keys.cert, browser)).toEqual({});
    expect(refused("pem-certificate", keys.ec, browser)).toMatch(/BEGIN CERTIFICATE/);
  });
});

describe("pem-private-key", () => {
  it("names the algorithm and size", () => {
    expect(accepted("pem-private-key", keys.rsa)).toEqual({ keyAlgorithm: "rsa", keySize: 2048 });
    expect(accepted("pem-private-key", keys.rsaPkcs1)).toEqual({ keyAlgorithm: "rsa", keySize: 2048 });
    expect(accepted("pem-private-key", keys.ec)).toEqual({ keyAlgorithm: "ec", keyCurve: "prime256v1" });
    expect(accepted("pem-private-key", keys.ed)).toEqual({ keyAlgorithm: "ed25519" });
    expect(accepted("pem-private-key", keys.encrypted)).toEqual({ encrypted: true });
  });
  it("refuses certificates, OpenSSH keys and damaged keys", () => {
    expect(refused("pem-private-key", keys.cert)).toMatch(/BEGIN PRIVATE KEY/);
    expect(refused("pem-private-key", keys.ssh)).toMatch(/BEGIN PRIVATE KEY/);
    const damaged = keys.rsa.replace(/\n[A-Za-z0-9+/]{30}/, "\nBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB");
    expect(refused("pem-private-key", damaged)).toBe("type pem-private-key: is not a parseable private key");
  });
});

describe("ssh-private-key", () => {
  it("reads the OpenSSH header: key type and whether it is encrypted", () => {
    expect(accepted("ssh-private-key", keys.ssh)).toEqual({ keyAlgorithm: "ssh-ed25519", encrypted: false });
    expect(accepted("ssh-private-key", keys.sshLocked, browser)).toEqual({ keyAlgorithm: "ssh-ed25519", encrypted: true });
  });
  it("refuses PEM keys and a body that is not openssh-key-v1", () => {
    expect(refused("ssh-private-key", keys.rsa)).toMatch(/OPENSSH PRIVATE KEY/);
    expect(refused("ssh-private-key", "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAAAAAAAAAAAAA\n-----END OPENSSH PRIVATE KEY-----\n")).toMatch(/not an openssh-key-v1 key/);
  });
});

describe("jwt-signing-key", () => {
  it("accepts a 32-byte HMAC secret or a PEM private key", () => {
    expect(accepted("jwt-signing-key", "x".repeat(32))).toEqual({ keyAlgorithm: "hmac", keySize: 256 });
    expect(accepted("jwt-signing-key", keys.ec)).toEqual({ keyAlgorithm: "ec", keyCurve: "prime256v1" });
  });
  it("refuses a short HMAC secret", () => {
    expect(refused("jwt-signing-key", "x".repeat(31))).toBe("type jwt-signing-key: an HMAC secret must be at least 32 bytes (or give a PEM private key)");
  });
});

describe("gcp-service-account", () => {
  const account = (over: Record<string, unknown> = {}) =>
    JSON.stringify({ type: "service_account", project_id: "acme-prod", private_key_id: "abc123", private_key: keys.rsa, client_email: "deployer@acme-prod.iam.gserviceaccount.com", token_uri: "https://oauth2.googleapis.com/token", ...over });
  it("accepts a key file and keeps the account, project and key facts", () => {
    expect(accepted("gcp-service-account", account())).toEqual({ clientEmail: "deployer@acme-prod.iam.gserviceaccount.com", projectId: "acme-prod", privateKeyId: "abc123", keyAlgorithm: "rsa", keySize: 2048 });
  });
  it("refuses another type, a missing email, a broken key and a plain-http token_uri", () => {
    expect(refused("gcp-service-account", account({ type: "authorized_user" }))).toBe('type gcp-service-account: type must be "service_account"');
    expect(refused("gcp-service-account", account({ client_email: undefined }))).toMatch(/client_email must be an email/);
    expect(refused("gcp-service-account", account({ private_key: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----" }))).toMatch(/^type gcp-service-account: private_key: /);
    expect(refused("gcp-service-account", account({ token_uri: "http://oauth2.googleapis.com/token" }))).toMatch(/token_uri must be an https URL/);
    expect(refused("gcp-service-account", "{not json")).toMatch(/must be a JSON object/);
  });
});
