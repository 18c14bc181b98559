// HTTP errors are made by a few factories and turned into `{"error": {"code", "message"}}`
// at one place (sendError), as STYLE.md §4 asks.
import type { ServerResponse } from "node:http";
import { HTTP_ERRORS, type ErrorBody, type HttpErrorCode } from "@crosswalk/shared";

/** An error with an HTTP status and a message a person can act on. */
export class HttpError extends Error {
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  get status(): number {
    return HTTP_ERRORS[this.code];
  }
}

/** 400: the input is wrong; `field` names which part. */
export const badRequest = (message: string, field?: string): HttpError => new HttpError("bad_request", message, field);
/** 401: no token, or one that is invalid, revoked or for another workshop. */
export const unauthorized = (): HttpError =>
  new HttpError("unauthorized", "This link is no longer valid, or it is for another workshop. Ask the facilitator for a new one.");
/** 403: the role may not do this. */
export const forbidden = (message: string): HttpError => new HttpError("forbidden", message);
/** 404: unknown workshop or route. */
export const notFound = (message = "There is no such workshop."): HttpError => new HttpError("not_found", message);
/** 405. */
export const methodNotAllowed = (): HttpError => new HttpError("method_not_allowed", "This method is not allowed here.");
/** 413. */
export const tooLarge = (limit: number): HttpError => new HttpError("too_large", `The request body is larger than ${limit} bytes.`);
/** 415. */
export const unsupportedMediaType = (): HttpError => new HttpError("unsupported_media_type", "Send the body as application/json.");

/** Writes a JSON response. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text), "Cache-Control": "no-store" });
  res.end(text);
}

/** Writes an error response; anything that is not an HttpError is a 500 that reveals nothing. */
export function sendError(res: ServerResponse, error: unknown): void {
  const http = error instanceof HttpError ? error : new HttpError("internal", "Something went wrong on the server. Try again.");
  const body: ErrorBody = { error: { code: http.code, message: http.message, ...(http.field ? { field: http.field } : {}) } };
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, http.status, body);
}
