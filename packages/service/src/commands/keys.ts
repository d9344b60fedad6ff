import fs from "node:fs";
import os from "node:os";
import { assertNever, type CommandIo, isExternalMasterKeySource, localMasterKey, MASTER_KEY_SOURCES, runCommand, UsageError } from "@keyward/common";
import { changeMasterKey, getKeyringStatus, retireKek, rewrapDataKeys, rotateKek, type KeyringStatus } from "@keyward/db";
import { nextSteps, refuseSameKey, resolveNewExternalMasterKey, resolveNewMasterKey, writeGeneratedKey, type NewMasterSource } from "../change-master.js";
import { loadKeysFor } from "../keys.js";
import { commandConfig, openExistingDatabase } from "../open-database.js";

export const KEYS_HELP = `Usage: keyward-service keys <status | rotate | rewrap | retire <kek-id> | change-master ...> [--data-dir DIR]

Key rotation. Values are sealed under per-version data keys; data keys are wrapped by a KEK
version; KEK versions are wrapped by the master key (KEYWARD_MASTER_KEY, KEYWARD_MASTER_PASSPHRASE
or <data-dir>/master.key). Rotating never re-encrypts a value.

  status                  KEK versions, how many data keys each wraps, and rewrap progress
  rotate                  make a new active KEK version; the previous one keeps decrypting
  rewrap [--batch-size N] move data keys to the active KEK, N per transaction (default 500);
                          safe to interrupt and run again: it continues where it stopped
  retire <kek-id>         retire a KEK once no data key needs it; its wrapped copy is erased
  change-master [--to SOURCE] (--new-key-file FILE | --new-passphrase-env VAR | --generate)
                          change the master key: rewrap every KEK version under a new one, in one
                          transaction (no value or data key is touched). The current key comes from
                          the usual environment/file; the new one from FILE (base64 32 bytes, mode
                          0600), from the environment variable VAR (a passphrase, never on the
                          command line), or --generate writes <data-dir>/master.key.new (0600).
                          --to aws-kms | azure-key-vault | vault-transit moves to an external key
                          instead (no other flag): its settings are the usual variables
                          (KEYWARD_AWS_KMS_KEY_ID, KEYWARD_AZURE_KEY_ID, KEYWARD_VAULT_ADDR,
                          KEYWARD_VAULT_TRANSIT_KEY…), where KEYWARD_NEW_<NAME> overrides
                          KEYWARD_<NAME> (e.g. KEYWARD_NEW_AWS_KMS_KEY_ID) so that both sources can
                          be configured at once. --to file | env | passphrase names a local target.
                          Prints both fingerprints, never a key, and what to swap in before the next
                          start. Running replicas keep working until restarted, but need the new key
                          to start, and to load any KEK rotated after the change: restart them first.

Run with the service's environment. For embedded PGlite, stop the service first (single process);
with PostgreSQL, run it beside the running replicas: they pick up the new KEK by themselves.
`;

const line = (io: CommandIo, text = "") => io.stdout.write(text + "\n");

function printStatus(io: CommandIo, status: KeyringStatus) {
  line(io, "KEK versions:");
  for (const k of status.keys) line(io, `  v${k.version}  ${k.id}  ${k.status.padEnd(8)}  ${k.dataKeys} data key(s)`);
  const total = status.onActive + status.remaining;
  line(io, `Rewrap progress: ${status.onActive} of ${total} data key(s) on the active KEK, ${status.remaining} remaining.`);
  if (status.unknownKeyIds.length > 0) line(io, `WARNING: data keys wrapped by unknown KEKs: ${status.unknownKeyIds.join(", ")}`);
  if (status.remaining > 0) line(io, "Next: keyward-service keys rewrap");
  for (const k of status.keys) if (k.status === "retiring" && k.dataKeys === 0) line(io, `Next: keyward-service keys retire ${k.id}`);
}

const KEYS_FLAGS = {
  "data-dir": { type: "string" },
  "batch-size": { type: "string" },
  json: { type: "boolean" },
  "new-key-file": { type: "string" },
  "new-passphrase-env": { type: "string" },
  generate: { type: "boolean" },
  to: { type: "string" },
} as const;

export function runKeysCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, KEYS_HELP, KEYS_FLAGS, async ({ values, positionals }) => {
    const [action, ...rest] = positionals;
    const actions = ["status", "rotate", "rewrap", "retire", "change-master"] as const;
    if (action === undefined) throw new UsageError("say what to do: status, rotate, rewrap, retire or change-master");
    if (!(actions as readonly string[]).includes(action)) throw new UsageError(`unknown keys action "${action}"; use status, rotate, rewrap, retire or change-master`);
    if (action === "retire" && rest.length !== 1) throw new UsageError("retire needs exactly one KEK id, e.g. keys retire kek_0123456789abcdef (see keys status)");
    if (action !== "retire" && rest.length > 0) throw new UsageError(`keys ${action} takes no arguments, got "${rest.join(" ")}"`);
    let batchSize: number | undefined;
    if (values["batch-size"] !== undefined) {
      if (action !== "rewrap") throw new UsageError("--batch-size applies to keys rewrap only");
      batchSize = Number(values["batch-size"]);
      if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError(`--batch-size must be a positive integer, got "${values["batch-size"]}"`);
    }
    const newSources: NewMasterSource[] = [
      ...(values["new-key-file"] !== undefined ? [{ kind: "file", file: values["new-key-file"] } as const] : []),
      ...(values["new-passphrase-env"] !== undefined ? [{ kind: "passphrase", variable: values["new-passphrase-env"] } as const] : []),
      ...(values.generate ? [{ kind: "generate" } as const] : []),
    ];
    if (action !== "change-master" && newSources.length > 0) throw new UsageError("--new-key-file, --new-passphrase-env and --generate apply to keys change-master only");
    const to = values.to;
    if (to !== undefined) {
      if (action !== "change-master") throw new UsageError("--to applies to keys change-master only");
      if (!(MASTER_KEY_SOURCES as readonly string[]).includes(to)) throw new UsageError(`--to must be one of ${MASTER_KEY_SOURCES.join(", ")}, got "${to}"`);
      if (isExternalMasterKeySource(to)) {
        if (newSources.length > 0) throw new UsageError(`--to ${to} takes its settings from the environment; drop --new-key-file, --new-passphrase-env and --generate`);
        newSources.push({ kind: "external", source: to });
      } else if (to === "passphrase" && newSources.some((s) => s.kind !== "passphrase")) {
        throw new UsageError("--to passphrase needs --new-passphrase-env VAR");
      } else if (to !== "passphrase" && newSources.some((s) => s.kind === "passphrase")) {
        throw new UsageError(`--to ${to} needs --new-key-file FILE or --generate, not --new-passphrase-env`);
      }
    }
    if (action === "change-master" && newSources.length !== 1) {
      throw new UsageError(
        to === undefined || !isExternalMasterKeySource(to)
          ? "keys change-master needs exactly one of --new-key-file FILE, --new-passphrase-env VAR, --generate, or --to aws-kms|azure-key-vault|vault-transit"
          : "keys change-master needs exactly one new source",
      );
    }

    const config = commandConfig(io.env, values["data-dir"]);
    const database = await openExistingDatabase(config);
    try {
      const actor = `cli:${os.userInfo().username}`;
      const keys = await loadKeysFor(database.db, { env: io.env, dataDir: config.dataDir, allowCreate: false, actor });
      const change = { auditKey: keys.auditKey, actor, at: new Date() };
      const kind = action as (typeof actions)[number];
      switch (kind) {
        case "status": {
          const status = await getKeyringStatus(database.db);
          if (values.json) line(io, JSON.stringify(status, null, 2));
          else printStatus(io, status);
          return 0;
        }
        case "rotate": {
          const rotated = await rotateKek(database.db, keys.master, change);
          if (rotated.kind === "no_keyring") {
            io.stderr.write("error: the keyring has no active KEK\n");
            return 1;
          }
          line(io, `New active KEK v${rotated.version}: ${rotated.active}. ${rotated.previous} is retiring and still decrypts.`);
          line(io, `Next: keyward-service keys rewrap, then keyward-service keys retire ${rotated.previous}`);
          return 0;
        }
        case "rewrap": {
          const result = await rewrapDataKeys(database.db, keys.envelope, { ...change, batchSize, onBatch: (p) => line(io, `rewrapped ${p.rewrapped}, ${p.remaining} remaining`) });
          line(io, `Done: ${result.rewrapped} data key(s) rewrapped; ${result.remaining} remaining.`);
          printStatus(io, await getKeyringStatus(database.db));
          return result.remaining === 0 ? 0 : 1;
        }
        case "change-master": {
          const source = newSources[0]!;
          const current = keys.master;
          const next =
            source.kind === "external"
              ? { master: await resolveNewExternalMasterKey(source.source, io.env), kdf: null, generatedFile: undefined, key: undefined }
              : (() => {
                  const local = resolveNewMasterKey(source, io.env, config.dataDir);
                  return { ...local, master: localMasterKey(local.key, source.kind === "passphrase" ? "passphrase" : "file") };
                })();
          refuseSameKey(current, next.master);
          if (next.generatedFile) writeGeneratedKey(next.generatedFile, next.key!);
          let result;
          try {
            result = await changeMasterKey(database.db, { current, next: next.master, nextKdf: next.kdf }, { ...change, actorType: "cli" });
          } catch (error) {
            // The database still uses the current key: a generated file that never took effect is removed.
            if (next.generatedFile) fs.rmSync(next.generatedFile, { force: true });
            throw error;
          }
          if (result.kind === "no_keyring") {
            if (next.generatedFile) fs.rmSync(next.generatedFile, { force: true });
            io.stderr.write("error: the database has no keyring yet; start the service once, then change the master key\n");
            return 1;
          }
          line(io, `Master key changed: ${result.previous} -> ${result.fingerprint}. ${result.rewrapped.length} KEK version(s) rewrapped; no value or data key was touched.`);
          line(io, `  from: ${current.describe()}`);
          line(io, `  to:   ${next.master.describe()}`);
          if (next.generatedFile) line(io, `Wrote the new master key to ${next.generatedFile} (mode 0600). Back it up: it cannot be recovered.`);
          for (const step of nextSteps({ current: keys.kekSource, next: source, dataDir: config.dataDir })) line(io, `Next: ${step}.`);
          line(io, `Running replicas keep working with the KEKs they hold, but need the new master key to restart or to load a KEK rotated from now on: restart them before the next keys rotate.`);
          for (const id of result.legacy) {
            line(io, `WARNING: ${id} is the old master key itself (values written before the keyring); it still decrypts their data keys until you run: keyward-service keys rewrap, then keyward-service keys retire ${id}`);
          }
          line(io, `Backups taken before now still open with the old master key (${current.fingerprint}), and their KEK versions still unwrap today's data keys: to cut the old key off, also run keys rotate, keys rewrap, then keys retire each old KEK.`);
          return 0;
        }
        case "retire": {
          const id = rest[0]!;
          const retired = await retireKek(database.db, id, change);
          switch (retired.kind) {
            case "ok":
              line(io, `Retired ${id}: its wrapped copy is erased and it will never decrypt again.`);
              return 0;
            case "not_found":
              io.stderr.write(`error: no KEK with id ${id} (see keyward-service keys status)\n`);
              return 1;
            case "active":
              io.stderr.write(`error: ${id} is the active KEK; rotate first, then rewrap, then retire it\n`);
              return 1;
            case "already_retired":
              line(io, `${id} is already retired.`);
              return 0;
            case "in_use":
              io.stderr.write(`error: ${retired.dataKeys} data key(s) still need ${id}; run keyward-service keys rewrap first\n`);
              return 1;
            default:
              return assertNever(retired, "retire result");
          }
        }
        default:
          return assertNever(kind, "keys action");
      }
    } finally {
      await database.close();
    }
  });
}
