import { QueryClient, VueQueryPlugin } from "@tanstack/vue-query";
import { createApp } from "vue";
import { createKeywardAdmin } from "@keyward/sdk";
import "@keyward/sdk/style.css";
import App from "./App.vue";
import { createOidcSignIn } from "./oidc/sign-in.js";
import { finishOidcSignIn } from "./oidc/finish.js";
import { createRouter } from "./router.js";
import { createSession } from "./session.js";
import { createTheme } from "./theme.js";
import "./styles.css";

const base = import.meta.env.BASE_URL;
const session = createSession(window.sessionStorage);
// Applied before the app mounts, so a remembered dark theme never flashes light.
const theme = createTheme(window.localStorage, document.documentElement);
// The provider sends the browser back to the console's root, e.g. https://keyward.example.com/admin/
const oidc = createOidcSignIn({ win: window, storage: window.sessionStorage, redirectUri: new URL(base, window.location.origin).href });

// A page load that returns from the provider signs in (or explains why not) before the app mounts.
void finishOidcSignIn({ oidc, session, win: window, base }).then((signInProblem) => {
  const router = createRouter(base, window);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true } } });
  createApp(App, { session, router, queryClient, oidc, signInProblem, theme })
    .use(VueQueryPlugin, { queryClient })
    .use(createKeywardAdmin({ baseUrl: window.location.origin, getToken: () => session.token.value }))
    .mount("#app");
});
