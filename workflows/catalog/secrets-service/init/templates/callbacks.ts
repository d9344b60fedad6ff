import type { ServiceCallbacks } from "@keyward/service";

// Hooks that tell people when template-name needs them. They never receive a secret value.
// Replace the console lines with your chat or paging integration.
export const templateNameCallbacks: ServiceCallbacks = {
  onAccessRequest({ secretName, serviceName }) {
    console.log(`[template-name] access request: ${serviceName} wants ${secretName}; approve or deny it in the admin API`);
  },
  onSecretStub({ name }) {
    console.log(`[template-name] secret stub: ${name} was asked for and has no value yet; set it in the admin API`);
  },
  onTokenPending({ id }) {
    console.log(`[template-name] service token ${id} is waiting for approval`);
  },
};
