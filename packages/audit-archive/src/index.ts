export {
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  ARCHIVE_NAME_PATTERN,
  MAX_LINE_BYTES,
  archiveName,
  archiveSignedText,
  parseArchiveName,
  type ArchiveCheckpoint,
  type ArchiveHeader,
  type ArchiveSummary,
  type ArchiveTrailer,
  type ChainHead,
} from "./format.js";
export { BrokenChainError, isBrokenChainError } from "./errors.js";
export { writeArchive, type ArchiveWrite, type WriteArchiveInput } from "./write.js";
export { verifyArchive, type ArchiveFailure, type ArchiveVerification, type VerifyArchiveOptions } from "./verify.js";
export { verifyArchiveSet, type ArchiveLink, type ArchiveSetCheck, type ArchiveSetProblem, type VerifyArchiveSetOptions } from "./verify-set.js";
export { type ArchiveSink } from "./sinks/types.js";
export { createDirectorySink } from "./sinks/directory.js";
export { createS3Sink, type S3SinkOptions } from "./sinks/s3.js";
export { createArchiveSink } from "./sinks/create.js";
export { verifySinkArchives, type SinkVerification } from "./verify-sink.js";
