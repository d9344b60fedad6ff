export { startSecretsService, type RunningService, type StartOptions } from "./start.js";
