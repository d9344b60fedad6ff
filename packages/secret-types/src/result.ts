import type { SecretMetadata, ValidationResult } from "./types.js";

export const accept = (metadata: SecretMetadata = {}): ValidationResult => ({ ok: true, metadata });
export const refuse = (problem: string): ValidationResult => ({ ok: false, problem });
