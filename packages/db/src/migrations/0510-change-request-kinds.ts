import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Issue #13: deleting a secret or an environment in a protected environment is held as a change
// request too, and changing an environment's approval settings (or turning protection off) is one
// `environment.update` holding the patch. `environment.unprotect` stays allowed so older rows read.
const KINDS = ["token.approve", "access.grant", "secret.set_value", "secret.rollback", "secret.disable", "environment.unprotect"];
const NEW_KINDS = ["secret.delete", "environment.delete", "environment.update"];

const check = (kinds: string[]) => sql.raw(`check (kind in (${kinds.map((k) => `'${k}'`).join(", ")}))`);

export const changeRequestKinds: Migration = {
  async up(db: Kysely<any>) {
    await sql`alter table change_requests drop constraint change_requests_kind_check`.execute(db);
    await sql`alter table change_requests add constraint change_requests_kind_check ${check([...KINDS, ...NEW_KINDS])}`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`delete from change_requests where kind in (${sql.join(NEW_KINDS)})`.execute(db);
    await sql`alter table change_requests drop constraint change_requests_kind_check`.execute(db);
    await sql`alter table change_requests add constraint change_requests_kind_check ${check(KINDS)}`.execute(db);
  },
};
