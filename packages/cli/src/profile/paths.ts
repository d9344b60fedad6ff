import os from "node:os";
import path from "node:path";

/** Where profiles live: KEYWARD_CONFIG_DIR, else $XDG_CONFIG_HOME/keyward, else ~/.config/keyward (APPDATA on Windows). */
export function configDir(env: NodeJS.ProcessEnv): string {
  if (env.KEYWARD_CONFIG_DIR) return env.KEYWARD_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return path.join(env.XDG_CONFIG_HOME, "keyward");
  if (process.platform === "win32" && env.APPDATA) return path.join(env.APPDATA, "keyward");
  return path.join(env.HOME ?? os.homedir(), ".config", "keyward");
}

export const profilesFile = (env: NodeJS.ProcessEnv): string => path.join(configDir(env), "profiles.json");
