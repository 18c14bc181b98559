// One HTTP GET of the relay's API, timed from sending the request to the last byte of the
// answer (what a person waiting for a download or a map waits for).

/** A timed answer. */
export interface TimedResponse {
  ms: number;
  status: number;
  contentType: string;
  body: Uint8Array;
}

/** GETs `url` with the bearer `token` and reads the whole body. */
export async function timedGet(url: string, token: string): Promise<TimedResponse> {
  const started = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = new Uint8Array(await res.arrayBuffer());
  return { ms: performance.now() - started, status: res.status, contentType: res.headers.get("content-type") ?? "", body };
}

/** The answer's start as text, for an error message. */
export function bodyStart(response: TimedResponse, chars = 300): string {
  return new TextDecoder().decode(response.body.subarray(0, chars));
}
