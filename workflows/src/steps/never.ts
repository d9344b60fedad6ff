/** Compile-time exhaustiveness for the step switch (workflows has no runtime dependency on @keyward/common). */
export function assertNeverStep(step: never): never {
  throw new Error(`unhandled workflow step: ${JSON.stringify(step)}`);
}
