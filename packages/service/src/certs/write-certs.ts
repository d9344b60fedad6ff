import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { KeywardError } from "@keyward/common";
import { certificateFacts, createCa, issueClientCert, issueServerCert, loadCa, type IssuedPem, type SigningCa } from "./issue.js";

export interface CertsRequest {
  /** Where the files go (created with mode 0700 when missing). */
  dir: string;
  /** Extra names for the server certificate, besides localhost, 127.0.0.1 and ::1. */
  hosts: string[];
  /** A client certificate (mTLS) for each service name. */
  clients: string[];
  /** Validity of the server and client certificates (never past the CA's). */
  days: number;
  /** Replace existing server and client files. */
  force: boolean;
  /** Keep existing server and client files instead of refusing (for an idempotent setup step). */
  keepExisting: boolean;
  now: Date;
}

export type CertKind = "ca" | "server" | "client";

export interface WrittenFile {
  file: string;
  kind: CertKind;
  /** The client's service name, for kind "client". */
  name?: string;
  part: "certificate" | "private key";
  action: "created" | "replaced" | "kept";
  mode: string;
  /** Certificates only. */
  subject?: string;
  names?: string[];
  notAfter?: string;
}

interface Unit {
  kind: CertKind;
  name?: string;
  cert: string;
  key: string;
}

const CERT_MODE = 0o644;
const KEY_MODE = 0o600;

const unitState = (u: Unit): "none" | "both" | "partial" => {
  const present = [u.cert, u.key].filter((f) => fs.existsSync(f)).length;
  return present === 0 ? "none" : present === 2 ? "both" : "partial";
};

/** Writes through a temporary file created with the final mode, then renames: never a moment with a readable key. */
function writeAtomically(file: string, content: string, mode: number): void {
  const temp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(temp, content, { mode, flag: "wx" });
  fs.renameSync(temp, file);
}

function report(unit: Unit, action: WrittenFile["action"]): WrittenFile[] {
  const facts = certificateFacts(fs.readFileSync(unit.cert, "utf8"));
  const base = { kind: unit.kind, ...(unit.name ? { name: unit.name } : {}), action };
  const mode = (f: string) => (fs.statSync(f).mode & 0o777).toString(8).padStart(4, "0");
  return [
    { file: unit.cert, ...base, part: "certificate", mode: mode(unit.cert), subject: facts.subject, names: facts.names, notAfter: facts.notAfter.toISOString() },
    { file: unit.key, ...base, part: "private key", mode: mode(unit.key) },
  ];
}

/**
 * Makes (or reuses) a development CA in `dir`, and issues the server certificate and the requested
 * client certificates with it. An existing CA is always reused, so a client can be added later
 * without touching the service; the server certificate is (re)issued when the CA is new, when it
 * is missing, or when hosts are given. Existing server or client files are never overwritten
 * without `force`.
 */
export async function writeDevCerts(request: CertsRequest): Promise<WrittenFile[]> {
  const at = (f: string) => path.join(request.dir, f);
  const caUnit: Unit = { kind: "ca", cert: at("ca.crt"), key: at("ca.key") };
  const serverUnit: Unit = { kind: "server", cert: at("server.crt"), key: at("server.key") };
  const clientUnits: Unit[] = request.clients.map((name) => ({ kind: "client", name, cert: at(`client-${name}.crt`), key: at(`client-${name}.key`) }));

  const caState = unitState(caUnit);
  if (caState === "partial") {
    const [present, missing] = fs.existsSync(caUnit.cert) ? [caUnit.cert, caUnit.key] : [caUnit.key, caUnit.cert];
    throw new KeywardError("conflict", `${present} exists without ${missing}: restore it, or remove ${present} to make a new CA (which needs new certificates for the service and every client)`, { field: "--out" });
  }
  const newCa = caState === "none";
  const serverWanted = newCa || unitState(serverUnit) !== "both" || request.hosts.length > 0;
  const leaves = [...(serverWanted ? [serverUnit] : []), ...clientUnits];

  // Decide every file before writing any, so a refusal leaves the directory as it was.
  const kept = new Set<Unit>();
  const conflicts: string[] = [];
  for (const unit of leaves) {
    const state = unitState(unit);
    if (state === "none" || request.force) continue;
    if (request.keepExisting && state === "both" && !newCa) kept.add(unit);
    else conflicts.push(...[unit.cert, unit.key].filter((f) => fs.existsSync(f)));
  }
  if (conflicts.length > 0) {
    const why = newCa ? " (the CA is new, so they must be issued again)" : "";
    throw new KeywardError("conflict", `refusing to overwrite ${conflicts.join(", ")}${why}: pass --force to replace them${newCa ? "" : ", or --keep-existing to keep them"}`, { field: "--force" });
  }

  fs.mkdirSync(request.dir, { recursive: true, mode: 0o700 });
  let ca: SigningCa;
  const files: WrittenFile[] = [];
  if (newCa) {
    const created = await createCa(request.now);
    writeAtomically(caUnit.key, created.key, KEY_MODE);
    writeAtomically(caUnit.cert, created.cert, CERT_MODE);
    ca = created.ca;
    files.push(...report(caUnit, "created"));
  } else {
    ca = await loadCa(fs.readFileSync(caUnit.cert, "utf8"), fs.readFileSync(caUnit.key, "utf8"), { cert: caUnit.cert, key: caUnit.key });
    files.push(...report(caUnit, "kept"));
  }
  for (const unit of [serverUnit, ...clientUnits]) {
    if (kept.has(unit) || (unit === serverUnit && !serverWanted)) {
      files.push(...report(unit, "kept"));
      continue;
    }
    const replaced = unitState(unit) !== "none";
    const issued: IssuedPem =
      unit.kind === "server"
        ? await issueServerCert(ca, { hosts: request.hosts, days: request.days, now: request.now })
        : await issueClientCert(ca, { name: unit.name!, days: request.days, now: request.now });
    writeAtomically(unit.key, issued.key, KEY_MODE);
    writeAtomically(unit.cert, issued.cert, CERT_MODE);
    files.push(...report(unit, replaced ? "replaced" : "created"));
  }
  return files;
}
