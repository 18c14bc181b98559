import type { SessionStatus } from "../collab/WorkshopSession.js";

/** The connection and saved state, in words (and a live region for screen readers). */
export function ConnectionStatus({ status }: { status: SessionStatus }) {
  const connection =
    status.connection === "live"
      ? { text: "Live", cls: "live" }
      : status.connection === "connecting"
        ? { text: "Connecting…", cls: "connecting" }
        : status.connection === "offline"
          ? { text: "Offline — your edits are kept and will sync", cls: "offline" }
          : { text: status.refusal?.message ?? "The server closed the connection.", cls: "refused" };
  const saved = status.saved ? "All changes saved" : status.connection === "live" ? "Saving…" : "Not saved yet";
  return (
    <div className="status" role="status" aria-live="polite">
      <span className={`status__connection status__connection--${connection.cls}`} data-testid="connection-state">
        {connection.text}
      </span>
      <span className={`status__saved status__saved--${status.saved ? "saved" : "pending"}`} data-testid="saved-state">
        {saved}
      </span>
    </div>
  );
}
