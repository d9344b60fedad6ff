import { KeywardError } from "@keyward/common";

/** The rows given to the writer do not chain: no archive is produced. `firstBadSeq` names the first bad row. */
export class BrokenChainError extends KeywardError {
  readonly firstBadSeq: number;
  readonly problem: string;

  constructor(firstBadSeq: number, problem: string) {
    super("conflict", `the audit chain is broken at seq ${firstBadSeq} (${problem}); not writing an archive of it`, { reason: "audit_chain_broken" });
    this.name = "BrokenChainError";
    this.firstBadSeq = firstBadSeq;
    this.problem = problem;
  }
}

export const isBrokenChainError = (e: unknown): e is BrokenChainError => e instanceof BrokenChainError;
