import type { CreateWorkshopResponse } from "@crosswalk/shared";
import { CopyField } from "../components/CopyField.js";

/** After creating: one link per organization, the facilitator and observer links, and the way in. */
export function CreatedLinks({ workshop }: { workshop: CreateWorkshopResponse }) {
  const facilitatorPath = new URL(workshop.links.facilitator).pathname + new URL(workshop.links.facilitator).hash;
  return (
    <main className="created" id="main">
      <h1>{workshop.title}</h1>
      <p className="lede">
        The workshop is ready. Send each organization its own link (or project its QR code); anyone with a link joins as that organization. Keep
        the facilitator link to yourself.
      </p>
      <a className="primary button-link" href={facilitatorPath}>
        Open the workshop as facilitator
      </a>
      <h2>Invite links</h2>
      {workshop.organizations.map((org) => (
        <CopyField key={org.id} label={`${org.name} (participants)`} value={workshop.links.participants[org.id] ?? ""} />
      ))}
      <CopyField label="Observers (read only)" value={workshop.links.observer} />
      <CopyField label="Facilitator" value={workshop.links.facilitator} />
    </main>
  );
}
