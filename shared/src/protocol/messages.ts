// Message types on the WebSocket: y-websocket's own, plus Crosswalk's saved acknowledgement
// (../shared/CONTRACT.md, "Durability" 2).

/** y-protocols sync (step 1, step 2, update). */
export const MESSAGE_SYNC = 0;
/** y-protocols awareness update. */
export const MESSAGE_AWARENESS = 1;
/** y-protocols auth (permission denied); the relay never needs it. */
export const MESSAGE_AUTH = 2;
/** Ask for every awareness state. */
export const MESSAGE_QUERY_AWARENESS = 3;
/** Crosswalk: `[100, varUint8Array(state vector as stored)]`, sent to `ack=1` clients once their updates are fsynced. */
export const MESSAGE_SAVED = 100;

/** The editor schema version of this build; clients send it as `schema=N` (Durability 5). */
export const EDITOR_SCHEMA_VERSION = 1;
