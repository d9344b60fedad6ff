/** A failed send, with text safe to store and log: it names the status or error kind, never a URL or credential. */
export class SendError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = "SendError";
  }
}
