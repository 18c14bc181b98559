import { ORGANIZATION_KINDS, type Organization, type OrganizationKind, type WorkshopLinks } from "@crosswalk/shared";
import { useEffect, useState } from "react";
import { addOrganization, ApiError, getLinks, rotateLink } from "../api/api.js";
import { CopyField } from "../components/CopyField.js";

interface InvitePanelProps {
  workshopId: string;
  token: string;
  organizations: Organization[];
}

/** Facilitators: the invite links (copy, QR), adding an organization, rotating a link. */
export function InvitePanel({ workshopId, token, organizations }: InvitePanelProps) {
  const [links, setLinks] = useState<WorkshopLinks | null>(null);
  const [error, setError] = useState("");
  const [name, setName] = useState("");
  const [kind, setKind] = useState<OrganizationKind>("community");
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState("");

  useEffect(() => {
    getLinks(workshopId, token).then(setLinks, (e: unknown) => setError(e instanceof ApiError ? e.message : String(e)));
  }, [workshopId, token]);

  const add = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError("");
    try {
      const org = await addOrganization(workshopId, token, { name, kind });
      setLinks((l) => (l ? { ...l, participants: { ...l.participants, [org.id]: org.link } } : l));
      setNotice(`${org.name} was added. Share its link below.`);
      setName("");
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const rotate = async (org: Organization) => {
    if (!window.confirm(`Make a new link for ${org.name}? The old link stops working at once, also for people connected with it.`)) return;
    try {
      const { link } = await rotateLink(workshopId, token, org.id);
      setLinks((l) => (l ? { ...l, participants: { ...l.participants, [org.id]: link } } : l));
      setNotice(`${org.name} has a new link; the old one no longer works.`);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };

  return (
    <section className="invite" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite links</h2>
      <p role="status" className="invite__notice">
        {notice}
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {links === null && !error && <p>Loading links…</p>}
      {links &&
        organizations.map((org) =>
          links.participants[org.id] ? (
            <CopyField key={org.id} label={org.name} value={links.participants[org.id]!}>
              <button type="button" onClick={() => void rotate(org)} aria-label={`New link for ${org.name}`}>
                New link
              </button>
            </CopyField>
          ) : null,
        )}
      {links && <CopyField label="Observers (read only)" value={links.observer} />}
      {links && <CopyField label="Facilitators" value={links.facilitator} />}
      <form className="invite__add" onSubmit={(e) => void add(e)} noValidate>
        <h3>Add an organization</h3>
        <div className="field">
          <label htmlFor="new-org-name">Name</label>
          <input id="new-org-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor="new-org-kind">Kind</label>
          <select id="new-org-kind" value={kind} onChange={(e) => setKind(e.target.value as OrganizationKind)}>
            {ORGANIZATION_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={busy}>
          Add organization
        </button>
      </form>
    </section>
  );
}
