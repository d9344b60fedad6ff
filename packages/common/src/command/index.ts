// The frame shared by Keyward's command-line tools (keyward-service, keyward): injected io,
// strict flags, usage errors with exit 2, expected failures with exit 1, aligned tables, the
// command table's dispatch and help lines, and bounded reads of stdin.
export * from "./command-io.js";
export * from "./dispatch.js";
export * from "./stdin.js";
export * from "./table.js";
export * from "./flag-errors.js";
