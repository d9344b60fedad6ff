export * from "./deps.js";
export * from "./problem.js";
export * from "./server.js";
export { routes, type Route } from "./routes/index.js";
