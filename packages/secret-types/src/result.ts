import type { SecretMetadata, ShapeResult, ValidationResult } from "./types.js";

export const accept = (metadata: SecretMetadata = {}): ValidationResult => ({ ok: true, metadata });
export const refuse = (problem: string): ValidationResult => ({ ok: false, problem });

/** A shape parser's answers: the fields read, or the rule broken (a refusal of the same form as `refuse`'s). */
export const parsed = <T>(value: T): ShapeResult<T> => ({ ok: true, value });
export const malformed = (problem: string): { ok: false; problem: string } => ({ ok: false, problem });
