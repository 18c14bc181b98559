import type { WorkshopInfo } from "@crosswalk/shared";
import { useEffect, useMemo, useState } from "react";
import { ApiError, getWorkshop } from "../api/api.js";
import { forgetToken, takeToken, type TokenInfo } from "../api/token.js";
import { WorkshopSession } from "../collab/WorkshopSession.js";
import { localUser, rememberedName, rememberName } from "./identity.js";
import { NamePrompt } from "./NamePrompt.js";
import { InvalidLink, Notice } from "./Notice.js";
import { WorkshopLayout } from "./WorkshopLayout.js";

const infoKey = (id: string) => `crosswalk:info:${id}`;

function cachedInfo(id: string): WorkshopInfo | null {
  try {
    const raw = localStorage.getItem(infoKey(id));
    return raw ? (JSON.parse(raw) as WorkshopInfo) : null;
  } catch {
    return null;
  }
}

/** A workshop page: checks the link, asks for a name, then opens the workshop. */
export function WorkshopPage({ workshopId }: { workshopId: string }) {
  const [token] = useState<TokenInfo | null>(() => takeToken(workshopId, window.location, window.history, localStorage));
  const [name, setName] = useState(() => rememberedName(localStorage));
  const [info, setInfo] = useState<WorkshopInfo | null>(() => cachedInfo(workshopId));
  const [problem, setProblem] = useState<"invalid" | "unknown" | "offline-first" | null>(null);

  useEffect(() => {
    if (!token) return;
    getWorkshop(workshopId, token.token).then(
      (fresh) => {
        localStorage.setItem(infoKey(workshopId), JSON.stringify(fresh));
        setInfo(fresh);
      },
      (error: unknown) => {
        const status = error instanceof ApiError ? error.status : 0;
        if (status === 401) {
          forgetToken(workshopId, localStorage);
          setProblem("invalid");
        } else if (status === 404) setProblem("unknown");
        else if (!cachedInfo(workshopId)) setProblem("offline-first");
      },
    );
  }, [workshopId, token]);

  if (!token || problem === "invalid") return <InvalidLink />;
  if (problem === "unknown")
    return (
      <Notice title="There is no such workshop">
        <p>Check that the link was copied whole.</p>
      </Notice>
    );
  if (!name) {
    const org = info?.organizations.find((o) => o.id === token.orgId);
    const joiningAs = token.role === "participant" ? (org?.name ?? "your organization") : token.role === "observer" ? "an observer (read only)" : "a facilitator";
    return (
      <NamePrompt
        joiningAs={joiningAs}
        onName={(n) => {
          rememberName(localStorage, n);
          setName(n);
        }}
      />
    );
  }
  if (!info) {
    if (problem === "offline-first")
      return (
        <Notice title="You are offline">
          <p>This workshop has not been opened in this browser before, so there is no copy of it here yet. Connect and reload.</p>
        </Notice>
      );
    return <p className="loading">Opening the workshop…</p>;
  }
  return <WorkshopView workshopId={workshopId} token={token} info={info} name={name} onRename={setName} />;
}

interface WorkshopViewProps {
  workshopId: string;
  token: TokenInfo;
  info: WorkshopInfo;
  name: string;
  onRename(name: string): void;
}

function WorkshopView({ workshopId, token, info, name, onRename }: WorkshopViewProps) {
  const [session, setSession] = useState<WorkshopSession | null>(null);
  const user = useMemo(() => localUser(name, token.role, token.orgId, info.organizations), [name, token, info.organizations]);
  useEffect(() => {
    const s = new WorkshopSession({ workshopId, token: token.token, user });
    // The session is an external system (sockets, IndexedDB) opened per workshop: it is made
    // here, not during render, and handed to React once it exists.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setSession(s);
    return () => s.destroy();
    // The session lives as long as the page shows this workshop; renaming updates it in place.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [workshopId, token.token]);
  useEffect(() => session?.setUser(user), [session, user]);
  if (!session) return <p className="loading">Opening the workshop…</p>;
  return <WorkshopLayout session={session} token={token} info={info} user={user} onRename={onRename} />;
}
