import { inject, type App, type InjectionKey } from "vue";
import { createAdminClient, type AdminClient, type AdminClientOptions } from "@keyward/admin-client";
import { en, type KeywardMessages } from "./i18n/en.js";
import { messagesKey } from "./i18n/use-messages.js";
import { createToasts, toastsKey } from "./feedback/toasts.js";

export const adminClientKey: InjectionKey<AdminClient> = Symbol("keyward-admin-client");

export interface KeywardAdminOptions extends AdminClientOptions {
  /** Translated strings; English by default. */
  messages?: KeywardMessages;
}

/** `app.use(createKeywardAdmin({ baseUrl, getToken }))`; install VueQueryPlugin too. */
export function createKeywardAdmin(options: KeywardAdminOptions) {
  const client = createAdminClient(options);
  const toasts = createToasts();
  return {
    client,
    toasts,
    install(app: App) {
      app.provide(toastsKey, toasts);
      app.provide(adminClientKey, client);
      app.provide(messagesKey, options.messages ?? en);
    },
  };
}

export function useAdminClient(): AdminClient {
  const client = inject(adminClientKey, null);
  if (!client) throw new Error("Keyward admin client is missing: call app.use(createKeywardAdmin({ baseUrl, getToken }))");
  return client;
}
