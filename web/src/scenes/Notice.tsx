/** A full-page message: an invalid link, an unknown workshop, offline on first visit. */
export function Notice({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main className="notice" id="main">
      <h1>{title}</h1>
      {children}
      <p>
        <a href="/">Go to the start page</a>
      </p>
    </main>
  );
}

/** The page shown for a tampered, expired or rotated link. */
export function InvalidLink() {
  return (
    <Notice title="This link is no longer valid">
      <p>The invite link was changed or is incomplete. Ask the facilitator for a new link for your organization.</p>
    </Notice>
  );
}
