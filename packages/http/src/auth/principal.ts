import type { AdminRole } from "@keyward/spec";

/** Who is calling: an admin API key or an OIDC subject, with one role. */
export interface Principal {
  id: string;
  name: string;
  role: AdminRole;
  via: "api_key" | "oidc";
  /** How audit rows and decisions name this caller, e.g. admin:<key id> or oidc:<sub>. */
  actor: string;
  /** The environments this caller may act in (a scoped admin key or OIDC role mapping); undefined = every environment. */
  environments?: readonly string[];
  /** The person owning an admin key (keys carry one), so two keys of one person count as one approver. */
  owner?: string | null;
}
