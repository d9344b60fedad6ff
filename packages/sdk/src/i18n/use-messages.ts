import { inject, type InjectionKey } from "vue";
import { en, type KeywardMessages } from "./en.js";

export const messagesKey: InjectionKey<KeywardMessages> = Symbol("keyward-messages");

/** The strings of one component, from the messages given to createKeywardAdmin (English by default). */
export function useMessages<K extends keyof KeywardMessages>(component: K): KeywardMessages[K] & { common: KeywardMessages["common"] } {
  const messages = inject(messagesKey, en);
  return { ...messages[component], common: messages.common };
}
