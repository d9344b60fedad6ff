import { sql, type Kysely } from "kysely";
import type { Envelope } from "@keyward/common";
import { PREPARED } from "../../prepared.js";
import type { Database } from "../../schema.js";
import { checkedMetadata, type SetValueInput } from "./set-value.js";
import type { WriteHint } from "./write-hints.js";

/**
 * Writes the next version of a secret in ONE statement, trusting the hint for what the locked
 * read would have found: the statement moves the secret only if it is still the same row at the
 * hinted version, not disabled, not a signing key, with the hinted type and rules, and the active
 * master key is still active (its row share-locked, as the locked read does, so a rotation waits;
 * a key with no row, as a bare envelope's in tests, counts as active there too).
 * The row must also be exactly as that write left it (its xmin): a change another transaction made
 * meanwhile, even one this statement waited for, makes it write nothing, since the definition it
 * checks against is read as of the statement's start.
 * Then the version is inserted and old ones pruned, in the same statement. Returns the new version
 * and the row's xmin, or undefined when anything differed: nothing was written and the caller takes
 * the locked path.
 */
export async function setValueOnHint(trx: Kysely<Database>, envelope: Envelope, input: SetValueInput, hint: WriteHint, keep: number): Promise<{ version: number; rowXmin: string } | undefined> {
  if (input.expectedVersion !== undefined && input.expectedVersion !== hint.version) return undefined;
  const checked = checkedMetadata(input, { type: hint.type, rulesJson: hint.rulesJson });
  // A refusal is confirmed under the lock, against the rules as they are now.
  if (!checked.ok) return undefined;
  const { metadataJson, metadataVersion } = checked;
  const version = hint.version + 1;
  const sealed = envelope.seal(input.value, hint.secretId, version, input.name);
  const { rows } = await sql<{ id: string; xmin: string }>`${sql.raw(PREPARED)}
    with k as (select e.status from encryption_keys e where e.id = ${envelope.activeKeyId} for share),
    moved as (
      update secrets s set current_version = ${version}, last_rotated_at = ${input.at}, metadata_json = ${metadataJson}::text, status = 'active', updated_at = ${input.at}, updated_by = ${input.actor}
      where s.id = ${hint.secretId} and s.name = ${input.name} and s.environment_id = ${input.environmentId}
        and s.current_version = ${hint.version} and s.xmin::text = ${hint.rowXmin}::text and s.status <> 'disabled'
        and coalesce((select k.status from k), 'active') = 'active'
        and not exists (select 1 from signing_keys g where g.secret_id = s.id)
        and exists (select 1 from secret_definitions d where d.name = s.name and d.type = ${hint.type} and d.rules_json is not distinct from ${hint.rulesJson}::text)
      returning s.id, s.xmin::text as xmin
    ),
    added as (
      insert into secret_versions (secret_id, version, ciphertext, wrapped_key, key_id, aad_version, metadata_json, metadata_version, created_at, created_by)
      select moved.id, ${version}::integer, ${sealed.ciphertext}::bytea, ${sealed.wrappedKey}::bytea, ${sealed.keyId}::text, 2, ${metadataJson}::text, ${metadataVersion}::smallint, ${input.at}::timestamptz, ${input.actor}::text from moved
    ),
    pruned as (delete from secret_versions v where v.secret_id = (select moved.id from moved) and v.version <= ${version - keep})
    select moved.id, moved.xmin from moved`.execute(trx);
  return rows.length === 1 ? { version, rowXmin: rows[0]!.xmin } : undefined;
}
