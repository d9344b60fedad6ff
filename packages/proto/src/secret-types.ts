import { SecretType } from "./gen/keyward/secrets/v1/secrets.js";

type Dashed<S extends string> = S extends `${infer A}_${infer B}` ? `${A}-${Dashed<B>}` : S;
type TypeText<K> = K extends `SECRET_TYPE_${infer R}` ? (R extends "UNSPECIFIED" ? never : Lowercase<Dashed<R>>) : never;

/** A secret type as the schema and the admin API write it: SECRET_TYPE_API_KEY ↔ "api-key". */
export type SecretTypeName = TypeText<keyof typeof SecretType>;

const entries = Object.entries(SecretType).filter((e): e is [string, number] => typeof e[1] === "number" && e[1] > 0);

/** The one vocabulary of secret types, in the proto's order (the schema's enum, the API's enum). */
export const SECRET_TYPES = entries.map(([k]) => k.slice("SECRET_TYPE_".length).toLowerCase().replaceAll("_", "-")) as SecretTypeName[];

/** "api-key" for SecretType.SECRET_TYPE_API_KEY; undefined for UNSPECIFIED and unknown values. */
export function secretTypeName(type: SecretType): SecretTypeName | undefined {
  const i = entries.findIndex(([, v]) => v === type);
  return i < 0 ? undefined : SECRET_TYPES[i];
}

/** SecretType.SECRET_TYPE_API_KEY for "api-key"; UNSPECIFIED for a name outside the vocabulary. */
export function secretTypeOf(name: string): SecretType {
  const i = (SECRET_TYPES as string[]).indexOf(name);
  return i < 0 ? SecretType.SECRET_TYPE_UNSPECIFIED : (entries[i]![1] as SecretType);
}
