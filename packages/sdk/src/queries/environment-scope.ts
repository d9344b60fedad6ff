import { toValue, type MaybeRefOrGetter } from "vue";

/** The environment option of the hooks that act in one environment; omitted = the instance's default. */
export interface EnvironmentScope {
  environment?: MaybeRefOrGetter<string | undefined>;
}

/** The `?environment=` query for one call (read when the call is made), or none. */
export const envQuery = (scope: EnvironmentScope | undefined): { environment?: string } => {
  const environment = toValue(scope?.environment);
  return environment === undefined ? {} : { environment };
};
