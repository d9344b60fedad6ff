export { createStaticHandler, type StaticHandler, type StaticSiteOptions } from "./serve-static.js";
