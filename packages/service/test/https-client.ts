import https from "node:https";

/** One request to the admin API over HTTPS, trusting `ca`; resolves with the status and the parsed body. */
export function httpsJson(url: string, options: { ca: Buffer; method?: string; token?: string; body?: unknown }): Promise<{ status: number; json: any; text: string }> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: options.method ?? "GET",
        ca: options.ca,
        headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...(payload ? { "content-type": "application/json" } : {}) },
      },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text, json: text && /json/.test(res.headers["content-type"] ?? "") ? JSON.parse(text) : undefined }));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** The admin API over HTTPS as `token`; every call must succeed. */
export function httpsAdminApi(adminUrl: string, token: string, ca: Buffer) {
  return async (method: string, p: string, body?: unknown) => {
    const res = await httpsJson(adminUrl + p, { ca, method, token, body });
    if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${res.text}`);
    return res.json;
  };
}
