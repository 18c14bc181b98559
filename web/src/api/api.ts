// The relay's HTTP API, typed, with its errors turned into messages a person can read.
import {
  parseErrorBody,
  type AddOrganizationResponse,
  type CreateWorkshopRequest,
  type CreateWorkshopResponse,
  type OrganizationInput,
  type RotateLinkResponse,
  type WorkshopInfo,
  type WorkshopLinks,
} from "@crosswalk/shared";

/** An API failure: the HTTP status (0 when the relay could not be reached) and a readable message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

async function request<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch {
    throw new ApiError(0, "The server cannot be reached. Check the connection and try again.");
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = parseErrorBody(json);
    throw new ApiError(res.status, error?.message ?? `The server answered ${res.status}.`, error?.field);
  }
  return json as T;
}

/** `POST /api/workshops`. */
export function createWorkshop(body: CreateWorkshopRequest): Promise<CreateWorkshopResponse> {
  return request("POST", "/api/workshops", body);
}

/** `POST /api/workshops/sample`: the sample partnership, sections filled in. */
export function createSampleWorkshop(): Promise<CreateWorkshopResponse> {
  return request("POST", "/api/workshops/sample", {});
}

/** `GET /api/workshops/:id`. */
export function getWorkshop(id: string, token: string): Promise<WorkshopInfo> {
  return request("GET", `/api/workshops/${encodeURIComponent(id)}`, undefined, token);
}

/** `POST /api/workshops/:id/organizations`. */
export function addOrganization(id: string, token: string, org: OrganizationInput): Promise<AddOrganizationResponse> {
  return request("POST", `/api/workshops/${encodeURIComponent(id)}/organizations`, org, token);
}

/** `POST /api/workshops/:id/organizations/:orgId/rotate`. */
export function rotateLink(id: string, token: string, orgId: string): Promise<RotateLinkResponse> {
  return request("POST", `/api/workshops/${encodeURIComponent(id)}/organizations/${encodeURIComponent(orgId)}/rotate`, {}, token);
}

/** `GET /api/workshops/:id/links` (facilitator). */
export function getLinks(id: string, token: string): Promise<WorkshopLinks> {
  return request("GET", `/api/workshops/${encodeURIComponent(id)}/links`, undefined, token);
}

/** Who submitted statements on a flag (never what). */
export interface StatementStatus {
  submitted: Record<string, number>;
  revealed: boolean;
}

/** `POST /api/workshops/:id/flags/:flagId/statements`: a statement the relay holds until the reveal. */
export function submitStatement(
  id: string,
  token: string,
  flagId: string,
  statement: { kind: "perspective-making" | "perspective-taking"; aboutOrgId?: string; text: string; author: string },
): Promise<{ id: string }> {
  return request("POST", `/api/workshops/${encodeURIComponent(id)}/flags/${encodeURIComponent(flagId)}/statements`, statement, token);
}

/** `GET /api/workshops/:id/flags/:flagId/statements`. */
export function statementStatus(id: string, token: string, flagId: string): Promise<StatementStatus> {
  return request("GET", `/api/workshops/${encodeURIComponent(id)}/flags/${encodeURIComponent(flagId)}/statements`, undefined, token);
}

/** `POST /api/workshops/:id/flags/:flagId/reveal` (facilitator). */
export function revealStatements(id: string, token: string, flagId: string): Promise<{ revealed: number }> {
  return request("POST", `/api/workshops/${encodeURIComponent(id)}/flags/${encodeURIComponent(flagId)}/reveal`, {}, token);
}

/** A saved version. */
export interface VersionInfo {
  id: string;
  label: string;
  author: string;
  createdAt: number;
}

/** `POST /api/workshops/:id/versions` (facilitator). */
export function saveVersion(id: string, token: string, label: string, author: string): Promise<VersionInfo> {
  return request("POST", `/api/workshops/${encodeURIComponent(id)}/versions`, { label, author }, token);
}

/** `GET /api/workshops/:id/versions`. */
export function listVersions(id: string, token: string): Promise<VersionInfo[]> {
  return request("GET", `/api/workshops/${encodeURIComponent(id)}/versions`, undefined, token);
}

/** `GET /api/workshops/:id/deletions`: who deleted what, for comparisons. */
export function deletionLog(id: string, token: string): Promise<Array<[number, number, number, string | null]>> {
  return request("GET", `/api/workshops/${encodeURIComponent(id)}/deletions`, undefined, token);
}

async function bytes(method: string, path: string, token: string, body?: Blob, contentType?: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, { method, headers: { authorization: `Bearer ${token}`, ...(contentType ? { "content-type": contentType } : {}) }, ...(body ? { body } : {}) });
  } catch {
    throw new ApiError(0, "The server cannot be reached. Check the connection and try again.");
  }
  if (!res.ok) {
    const error = parseErrorBody(await res.json().catch(() => null));
    throw new ApiError(res.status, error?.message ?? `The server answered ${res.status}.`, error?.field);
  }
  return res;
}

/** `GET /api/workshops/:id/versions/:versionId`: the version's encoded Yjs state. */
export async function versionState(id: string, token: string, versionId: string): Promise<Uint8Array> {
  const res = await bytes("GET", `/api/workshops/${encodeURIComponent(id)}/versions/${encodeURIComponent(versionId)}`, token);
  return new Uint8Array(await res.arrayBuffer());
}

/** `POST /api/workshops/:id/import?format=docx|md`: the file as HTML for the editor to insert. */
export async function importFile(id: string, token: string, file: File, format: "docx" | "md"): Promise<string> {
  const res = await bytes("POST", `/api/workshops/${encodeURIComponent(id)}/import?format=${format}`, token, file, "application/octet-stream");
  return ((await res.json()) as { html: string }).html;
}
