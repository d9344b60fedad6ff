import fs from "node:fs";
import path from "node:path";
import { KeywardError } from "@keyward/common";
import { profilesFile } from "./paths.js";

/** One saved connection: the service's admin URL, an admin token, and the default environment. */
export interface Profile {
  url: string;
  token: string;
  environment?: string;
}

export interface ProfilesFile {
  current: string;
  profiles: Record<string, Profile>;
}

/**
 * Profiles by name in an object without a prototype: a name such as "constructor" or "toString" finds
 * no profile unless the file has one, and a profile saved as "__proto__" is an entry like any other
 * (on a plain object, assigning it would set the prototype, and writeProfiles would drop it).
 */
const profileTable = (entries: Record<string, Profile> = {}): Record<string, Profile> => Object.assign(Object.create(null) as Record<string, Profile>, entries);

/** Reads the profiles file; a missing file is no profiles, a malformed one an error naming the file (never its token). */
export function readProfiles(env: NodeJS.ProcessEnv): ProfilesFile {
  const file = profilesFile(env);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { current: "default", profiles: profileTable() };
    throw new KeywardError("config", `cannot read ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    // An editor may save it with a byte order mark, which JSON.parse refuses.
    parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    throw new KeywardError("config", `${file} is not valid JSON; fix it or run keyward login again`);
  }
  const problem = profilesProblem(parsed);
  if (problem) throw new KeywardError("config", `${file}: ${problem}; fix it or run keyward login again`);
  const { current, profiles } = parsed as ProfilesFile;
  return { ...(parsed as ProfilesFile), current, profiles: profileTable(profiles) };
}

function profilesProblem(value: unknown): string | undefined {
  if (!value || typeof value !== "object") return "expected an object with current and profiles";
  const { current, profiles } = value as Partial<ProfilesFile>;
  if (typeof current !== "string") return "current must be a profile name";
  if (!profiles || typeof profiles !== "object" || Array.isArray(profiles)) return "profiles must be an object";
  for (const [key, p] of Object.entries(profiles)) {
    // Quoted and escaped: a name with a newline or a quote cannot garble the message.
    const name = JSON.stringify(key);
    if (!p || typeof p !== "object") return `profile ${name} must be an object`;
    if (typeof p.url !== "string") return `profile ${name} has no url`;
    if (typeof p.token !== "string") return `profile ${name} has no token`;
    if (p.environment !== undefined && typeof p.environment !== "string") return `profile ${name}: environment must be a string`;
  }
  return undefined;
}

/** Writes the profiles file with mode 0600 (its directory 0700), atomically via a temp file and rename. */
export function writeProfiles(env: NodeJS.ProcessEnv, profiles: ProfilesFile): string {
  const file = profilesFile(env);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(profiles, null, 2) + "\n", { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
  return file;
}
