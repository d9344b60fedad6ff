import { accept, refuse } from "./result.js";
import type { PemInspector, ValidationResult } from "./types.js";

export interface PemBlock {
  label: string;
  der: Uint8Array;
}

const BLOCK = /^-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n?-----END \1-----\s*$/;

/** The PEM block a value holds (one, with matching BEGIN and END and a base64 body), or undefined. */
export function pemBlock(value: string): PemBlock | undefined {
  const m = BLOCK.exec(value.trim());
  if (!m) return undefined;
  try {
    const binary = atob(m[2]!.replace(/[\r\n]/g, ""));
    const der = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return der.length > 0 ? { label: m[1]!, der } : undefined;
  } catch {
    return undefined;
  }
}

export const PRIVATE_KEY_LABELS = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY"];

const ownInspectors = new WeakSet<PemInspector>();

/**
 * Marks one of this package's inspectors (the structural one here, node:crypto's in ./node): their
 * problems are fixed rule text and their facts derived from the key, so the registry passes them on
 * as they are. Any other inspector's answers are screened for quotes of the PEM text.
 */
export function ownPemInspector(inspector: PemInspector): PemInspector {
  ownInspectors.add(inspector);
  return inspector;
}

export const isOwnPemInspector = (inspector: PemInspector): boolean => ownInspectors.has(inspector);

/** Checks the armour and that the body is DER (a SEQUENCE); parses nothing. Safe in a browser. */
export const structuralPemInspector: PemInspector = ownPemInspector({
  certificate(pem: string): ValidationResult {
    const block = pemBlock(pem);
    if (!block || block.label !== "CERTIFICATE") return refuse("must be one PEM block -----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----");
    if (block.der[0] !== 0x30) return refuse("the PEM body is not a DER certificate");
    return accept();
  },
  privateKey(pem: string): ValidationResult {
    const block = pemBlock(pem);
    if (!block || !PRIVATE_KEY_LABELS.includes(block.label)) return refuse("must be one PEM block -----BEGIN PRIVATE KEY----- (or RSA/EC/ENCRYPTED PRIVATE KEY)");
    if (block.der[0] !== 0x30) return refuse("the PEM body is not a DER private key");
    return accept(block.label === "ENCRYPTED PRIVATE KEY" ? { encrypted: true } : {});
  },
});
