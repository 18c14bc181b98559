// WebSocket close codes (../shared/CONTRACT.md, "WebSocket"). The relay closes with these
// constants and the web app's connection banner switches on the same ones.

/** A WebSocket close code with the reason the relay sends and what a person is told. */
export interface CloseCode {
  code: number;
  reason: string;
  /** What the web app tells a person, in plain words. */
  message: string;
  /** True when reconnecting cannot help (the client stops retrying). */
  permanent: boolean;
}

/** Not a y-websocket message, or an update Yjs cannot decode. */
export const MalformedMessage: CloseCode = {
  code: 4400,
  reason: "malformed message",
  message: "Your browser sent something the server could not read. Reload the page.",
  permanent: true,
};

/** Missing, invalid, expired or revoked token, or a token for another workshop. */
export const Unauthorized: CloseCode = {
  code: 4401,
  reason: "invalid token",
  message: "This link is no longer valid. Ask the facilitator for a new one.",
  permanent: true,
};

/** A write the role may not make: an observer's edit, or another organization's record. */
export const Forbidden: CloseCode = {
  code: 4403,
  reason: "forbidden",
  message: "The server refused a change you are not allowed to make. Reload the page.",
  permanent: true,
};

/** Unknown workshop, whatever the token. */
export const UnknownWorkshop: CloseCode = {
  code: 4404,
  reason: "unknown workshop",
  message: "This workshop does not exist. Check the link.",
  permanent: true,
};

/** A message larger than the limit (the relay's own code, not ws's 1009). */
export const MessageTooLarge: CloseCode = {
  code: 4413,
  reason: "message too large",
  message: "A change was too large for the server to accept. Reload the page.",
  permanent: true,
};

/** The client's editor schema is older than the workshop's (Durability 5). */
export const SchemaTooOld: CloseCode = {
  code: 4426,
  reason: "client schema too old",
  message: "Crosswalk was updated. Reload the page to keep editing.",
  permanent: true,
};

/** Too many messages or bytes; the client backs off and retries. */
export const RateLimited: CloseCode = {
  code: 4429,
  reason: "rate limited",
  message: "Too many changes at once; reconnecting shortly.",
  permanent: false,
};

/** The relay is shutting down or restarting; clients reconnect on their own. */
export const GoingAway: CloseCode = {
  code: 1001,
  reason: "relay restarting",
  message: "The server is restarting; your edits are kept and will sync.",
  permanent: false,
};

/** The relay could not store what it received; clients reconnect and resend. */
export const StorageFailure: CloseCode = {
  code: 1011,
  reason: "storage failure",
  message: "The server could not save; your edits are kept and will sync when it recovers.",
  permanent: false,
};

/** Storage or the link between relays is unreachable: nothing can be saved now; clients retry. */
export const TryAgainLater: CloseCode = {
  code: 1013,
  reason: "try again later",
  message: "The server cannot save right now; your edits are kept and will sync.",
  permanent: false,
};

/** Every close code the relay uses, by number. */
export const CLOSE_CODES: ReadonlyMap<number, CloseCode> = new Map(
  [MalformedMessage, Unauthorized, Forbidden, UnknownWorkshop, MessageTooLarge, SchemaTooOld, RateLimited, GoingAway, StorageFailure, TryAgainLater].map(
    (c) => [c.code, c],
  ),
);
