import { fileURLToPath } from "node:url";

/** The built console (index.html and assets), for `startHttpServer({ consoleDir })`. */
export const consoleDir = fileURLToPath(new URL("./dist/", import.meta.url));
