// HTTP error codes (../shared/CONTRACT.md, "HTTP API"): `{"error": {"code", "message", "field"?}}`.

/** The machine-readable error codes and their HTTP statuses. */
export const HTTP_ERRORS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

/** One of the HTTP error codes. */
export type HttpErrorCode = keyof typeof HTTP_ERRORS;

/** The body of every error response. `field` names the offending input field, so a form can show the message next to it. */
export interface ErrorBody {
  error: { code: HttpErrorCode; message: string; field?: string };
}

/** Reads an error body, or null when the value is not one. */
export function parseErrorBody(value: unknown): ErrorBody["error"] | null {
  if (value === null || typeof value !== "object") return null;
  const error = (value as { error?: unknown }).error;
  if (error === null || typeof error !== "object") return null;
  const { code, message, field } = error as Record<string, unknown>;
  if (typeof code !== "string" || typeof message !== "string") return null;
  return { code: code as HttpErrorCode, message, ...(typeof field === "string" ? { field } : {}) };
}
