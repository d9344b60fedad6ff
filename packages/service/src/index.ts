export { startSecretsService, type RunningService, type StartOptions } from "./start.js";
export type { ServiceCallbacks, ServiceChangeEvent } from "./callbacks.js";
export { runDoctor, type DoctorCheck, type DoctorReport } from "./doctor/index.js";
export { createCheckpointSink, startCheckpointWriter, type CheckpointSink, type CheckpointWriter, type CheckpointWriterOptions } from "./checkpoints/index.js";
export { archiveAuditPartition, auditRetentionJob, runAuditRetention, type ArchivePartitionDeps, type PartitionOutcome, type RetentionRun, type RetentionSettings } from "./audit-retention/index.js";
