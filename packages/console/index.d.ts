/** The built console (index.html and assets), for `startHttpServer({ consoleDir })`. */
export declare const consoleDir: string;
