export { main } from "./main.js";
export { commands } from "./commands/index.js";
export { CliError, EXIT, type ExitCode } from "./exit-codes.js";
export { resolveConnection, adminClientFor, type Connection } from "./profile/connection.js";
export { readProfiles, writeProfiles, type Profile, type ProfilesFile } from "./profile/store.js";
export { configDir, profilesFile } from "./profile/paths.js";
