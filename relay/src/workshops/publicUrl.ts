// The base of invite links: PUBLIC_URL, or http://HOST:PORT with the real port. When the
// relay listens on every interface, HOST itself is no address a browser can open, so the
// first LAN address stands in for it.
import os from "node:os";

/** The URL invite links start with. */
export function publicBaseUrl(configured: string | null, host: string, port: number): string {
  if (configured) return configured;
  let name = host;
  if (host === "0.0.0.0" || host === "::" || host === "") {
    const lan = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === "IPv4" && !a.internal);
    name = lan?.address ?? "127.0.0.1";
  }
  return `http://${name.includes(":") ? `[${name}]` : name}:${port}`;
}

/** An invite link: the token sits in the fragment, so it never reaches server logs or Referer headers. */
export function inviteLink(base: string, workshopId: string, token: string): string {
  return `${base}/w/${workshopId}#token=${token}`;
}
