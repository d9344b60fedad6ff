import { QueryClient, VueQueryPlugin } from "@tanstack/vue-query";
import { createApp } from "vue";
import { createKeywardAdmin } from "@keyward/sdk";
import "@keyward/sdk/style.css";
import App from "./App.vue";
import { createRouter } from "./router.js";
import { createSession } from "./session.js";
import "./styles.css";

const session = createSession(window.sessionStorage);
const router = createRouter(import.meta.env.BASE_URL, window);
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true } } });

createApp(App, { session, router, queryClient })
  .use(VueQueryPlugin, { queryClient })
  .use(createKeywardAdmin({ baseUrl: window.location.origin, getToken: () => session.token.value }))
  .mount("#app");
