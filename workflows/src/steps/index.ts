import { assertNeverStep } from "./never.js";
import type { StepName } from "../manifest.js";
import { addSecretStep } from "./add-secret.js";
import type { StepContext, StepEdit } from "./types.js";
import { wireClientStep } from "./wire-client.js";

export type { StepContext, StepEdit, StepOptions } from "./types.js";

export function runStep(step: StepName, ctx: StepContext): StepEdit[] {
  switch (step) {
    case "add-secret":
      return addSecretStep(ctx);
    case "wire-client":
      return wireClientStep(ctx);
    default:
      return assertNeverStep(step);
  }
}
