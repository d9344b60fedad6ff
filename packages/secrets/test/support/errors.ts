import type { SecretsClientError } from "../../src/index.js";

/** The error `p` rejects with; a resolution fails the test. */
export const errorOf = (p: Promise<unknown>): Promise<SecretsClientError> =>
  p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e as SecretsClientError,
  );
