/** The shape of a generated `secretsSchema` const (or any secrets.schema.json read `as const`). */
export interface SecretsSchemaDoc {
  readonly properties: {
    readonly [name: string]: {
      readonly description: string;
      readonly "x-keyward"?: { readonly optional?: boolean };
    };
  };
}

export type SecretName<S extends SecretsSchemaDoc> = keyof S["properties"] & string;

/** An optional secret may be absent; every other one is a string. */
export type SecretValue<S extends SecretsSchemaDoc, K extends SecretName<S>> = S["properties"][K] extends { readonly "x-keyward": { readonly optional: true } }
  ? string | undefined
  : string;
