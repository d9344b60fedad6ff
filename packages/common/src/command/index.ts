// The frame shared by Keyward's command-line tools (keyward-service, keyward): injected io,
// strict flags, usage errors with exit 2, expected failures with exit 1, aligned tables.
export * from "./command-io.js";
export * from "./table.js";
