import { QueryClient, VueQueryPlugin } from "@tanstack/vue-query";
import { createApp, ref } from "vue";
import { createKeywardAdmin, en } from "@keyward/sdk";
import "@keyward/sdk/style.css";
import App from "./App.vue";
import "./theme.css";

// The admin token lives in this page's memory only.
const token = ref("");

// The sdk's strings can be replaced (here two of them, the same way a translation would be).
const messages = { ...en, secretsTable: { ...en.secretsTable, caption: "Acme secrets" }, missingSecretsTable: { ...en.missingSecretsTable, addValue: "Fill in" } };

createApp(App, { token })
  .use(VueQueryPlugin, { queryClient: new QueryClient() })
  .use(createKeywardAdmin({ baseUrl: window.location.origin, getToken: () => token.value || undefined, messages }))
  .mount("#app");
