export { findPackagesWithSecrets } from "./all.js";
export { checkGeneratedFiles, summarizeDiff, type StaleFile } from "./check.js";
export { generateSecretsFiles, renderCombinedJson, renderSecretsTs, writeGeneratedFiles, type GeneratedFile, type GenerateOptions, type WrittenFile } from "./generate.js";
export { formatSecretsTable } from "./print.js";
export { loadKeywardConfig, type KeywardConfig } from "./config.js";
