import fs from "node:fs";
import path from "node:path";
import { SchemaError, type SchemaIssue } from "./errors.js";

type Action = "read" | "write";

/**
 * A file system error turned into a SchemaError naming the file, what is wrong with it and a fix:
 * missing, a dangling or looping symlink, a directory where a file belongs, no permission.
 * Undefined for anything that is not a file system error (a bug, to be rethrown as is).
 */
export function fileAccessError(file: string, error: unknown, action: Action): SchemaError | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== "string") return undefined;
  const issue = (message: string, fix: string): SchemaIssue => ({ file, pointer: "", message, fix });
  switch (code) {
    case "ENOENT": {
      const link = brokenLink(file);
      if (link?.kind === "dangling") return new SchemaError("not_found", [issue(link.message, "point the link at a file that exists (ln -sfn TARGET LINK), or remove the link")]);
      if (action === "write") return new SchemaError("not_found", [issue("its directory does not exist", "check the package directory")]);
      return new SchemaError("not_found", [issue("file does not exist", "check the path")]);
    }
    case "ELOOP":
      return new SchemaError("file_access", [issue(brokenLink(file)?.message ?? "is a symbolic link that loops back on itself", "point the link at a real file, or remove it")]);
    case "EISDIR":
      return new SchemaError("file_access", [
        issue("is a directory, not a file", action === "read" ? "pass the JSON file itself, or remove the directory" : "move or remove the directory: keyward-secrets writes a file at this path"),
      ]);
    case "ENOTDIR":
      return new SchemaError("not_found", [issue("a parent of this path is a file, not a directory", "check the path")]);
    case "EACCES":
    case "EPERM":
      return new SchemaError("file_access", [issue(`permission denied: cannot ${action} it`, `give your user ${action} permission (chmod u+${action === "read" ? "r" : "w"}), or run as the file's owner`)]);
    case "EROFS":
      return new SchemaError("file_access", [issue("is on a read-only file system", "run where the package is writable")]);
    case "ERR_FS_FILE_TOO_LARGE":
    case "ERR_STRING_TOO_LONG":
      return new SchemaError("file_access", [issue("is far too large to be a secrets schema or package.json", "check the path")]);
    default:
      // Any other errno (EIO, ENOSPC, EMFILE, …): the environment, not a bug; name it without a stack.
      if (!/^E[A-Z0-9]+$/.test(code)) return undefined;
      return new SchemaError("file_access", [issue(`cannot ${action} it: ${(error as Error).message}`, "check the file system and try again")]);
  }
}

/** How a path that is a symlink fails to lead anywhere: a missing target, or a loop. Undefined when it is not a broken link. */
export function brokenLink(file: string): { kind: "dangling" | "loop"; target: string; message: string } | undefined {
  let target: string;
  try {
    if (!fs.lstatSync(file).isSymbolicLink()) return undefined;
    target = fs.readlinkSync(file);
  } catch {
    return undefined;
  }
  try {
    fs.statSync(file);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ELOOP") return { kind: "loop", target, message: `is a symbolic link that loops back on itself (${path.basename(file)} -> ${target})` };
    if (code === "ENOENT" || code === "ENOTDIR") return { kind: "dangling", target, message: `is a symbolic link to ${target}, which does not exist` };
    return undefined;
  }
}

/**
 * Whether something is at `file` (a symlink counts, even a broken one: it is not "no file", it is
 * a file that must be reported). Throws a SchemaError when even that cannot be told.
 */
export function entryExists(file: string): boolean {
  try {
    return fs.lstatSync(file, { throwIfNoEntry: false }) !== undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOTDIR") return false;
    throw fileAccessError(file, error, "read") ?? error;
  }
}
