import { inject, type App, type InjectionKey } from "vue";
import { createAdminClient, type AdminClient, type AdminClientOptions } from "./api-client.js";

export const adminClientKey: InjectionKey<AdminClient> = Symbol("keyward-admin-client");

/** `app.use(createKeywardAdmin({ baseUrl, getToken }))`; install VueQueryPlugin too. */
export function createKeywardAdmin(options: AdminClientOptions) {
  const client = createAdminClient(options);
  return { install: (app: App) => app.provide(adminClientKey, client), client };
}

export function useAdminClient(): AdminClient {
  const client = inject(adminClientKey);
  if (!client) throw new Error("Keyward admin client is missing: call app.use(createKeywardAdmin({ baseUrl, getToken }))");
  return client;
}
