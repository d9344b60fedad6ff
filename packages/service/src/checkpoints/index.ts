export { createCheckpointSink, type CheckpointSink } from "./sink.js";
export { startCheckpointWriter, type CheckpointWriter, type CheckpointWriterOptions } from "./writer.js";
