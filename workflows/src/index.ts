export { applyPlan, type ApplyResult } from "./apply.js";
export { DEFAULT_CATALOG, listWorkflows, loadWorkflow, type Workflow } from "./catalog.js";
export { WorkflowError, type WorkflowErrorCode } from "./errors.js";
export { readManifest, STEP_NAMES, type StepName, type WorkflowManifest } from "./manifest.js";
export { kebabNameProblem, nameForms, renameAll, type NameForms } from "./names.js";
export { planWorkflow, type FileAction, type KickoffOptions, type Plan, type PlannedFile } from "./plan.js";
