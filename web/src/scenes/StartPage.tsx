import { MAX_ORGANIZATIONS, ORGANIZATION_KINDS, type CreateWorkshopResponse, type Template } from "@crosswalk/shared";
import { useState } from "react";
import { ApiError, createSampleWorkshop, createWorkshop } from "../api/api.js";
import { CreatedLinks } from "./CreatedLinks.js";
import { initialForm, orgRow, placeOf, toRequest, validate, type CreateForm, type ProblemPlace } from "./createForm.js";

const KIND_LABELS: Record<string, string> = {
  district: "School district",
  university: "University",
  state: "State agency",
  community: "Community organization",
  funder: "Funder",
  other: "Other",
};

const TEMPLATE_LABELS: Record<Template, string> = {
  full: "Equity definition and leader portrait",
  "equity-definition": "Equity definition only",
  "leader-portrait": "Portrait of an Equity-Centered Leader only",
};

/** The start page: create a workshop for a partnership. */
export function StartPage() {
  const [form, setForm] = useState<CreateForm>(initialForm);
  const [problem, setProblem] = useState<{ place: ProblemPlace; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreateWorkshopResponse | null>(null);

  if (created) return <CreatedLinks workshop={created} />;

  const messageAt = (matches: (p: ProblemPlace) => boolean, id: string) =>
    problem && matches(problem.place) ? (
      <p id={id} className="field-error" role="alert">
        {problem.message}
      </p>
    ) : null;
  const rowProblem = (key: number, part: "name" | "kind") => problem?.place.at === "row" && problem.place.key === key && problem.place.part === part;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const local = validate(form);
    setProblem(local);
    if (local) return;
    setBusy(true);
    try {
      setCreated(await createWorkshop(toRequest(form)));
    } catch (error) {
      const api = error instanceof ApiError ? error : new ApiError(0, String(error));
      setProblem({ place: placeOf(form, api.field), message: api.message });
    } finally {
      setBusy(false);
    }
  };

  const trySample = async () => {
    setBusy(true);
    setProblem(null);
    try {
      setCreated(await createSampleWorkshop());
    } catch (error) {
      setProblem({ place: { at: "form" }, message: error instanceof ApiError ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  };

  const update = (patch: Partial<CreateForm>) => setForm((f) => ({ ...f, ...patch }));
  const updateRow = (key: number, patch: Partial<(typeof form.organizations)[number]>) =>
    update({ organizations: form.organizations.map((o) => (o.key === key ? { ...o, ...patch } : o)) });

  return (
    <main className="start" id="main">
      <header className="start__header">
        <h1>Crosswalk</h1>
        <p className="lede">
          Partners write what equity means to them, together: a shared definition of equity and a Portrait of an Equity-Centered Leader,
          drafted live, with every organization's voice visible.
        </p>
      </header>
      <form className="create" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="create-heading">
        <h2 id="create-heading">Create a workshop</h2>
        <div className="field">
          <label htmlFor="title">Workshop title</label>
          <input
            id="title"
            value={form.title}
            placeholder="Eastside Unified — Equity-Centered Leader Pathway retreat"
            onChange={(e) => update({ title: e.target.value })}
            aria-invalid={problem?.place.at === "title"}
            aria-describedby={problem?.place.at === "title" ? "title-error" : undefined}
            autoFocus
          />
          {messageAt((p) => p.at === "title", "title-error")}
        </div>
        <fieldset className="orgs">
          <legend>Partner organizations</legend>
          <p className="hint">Each organization gets its own invite link; its people write and annotate as that organization.</p>
          <ol className="orgs__list">
            {form.organizations.map((org, i) => (
              <li key={org.key} className="orgs__row">
                <div className="field field--inline">
                  <label htmlFor={`org-name-${org.key}`}>Organization {i + 1} name</label>
                  <input
                    id={`org-name-${org.key}`}
                    value={org.name}
                    onChange={(e) => updateRow(org.key, { name: e.target.value })}
                    aria-invalid={rowProblem(org.key, "name")}
                    aria-describedby={rowProblem(org.key, "name") ? `org-error-${org.key}` : undefined}
                  />
                </div>
                <div className="field field--inline">
                  <label htmlFor={`org-kind-${org.key}`}>Organization {i + 1} kind</label>
                  <select id={`org-kind-${org.key}`} value={org.kind} onChange={(e) => updateRow(org.key, { kind: e.target.value as typeof org.kind })}>
                    {ORGANIZATION_KINDS.map((k) => (
                      <option key={k} value={k}>
                        {KIND_LABELS[k]}
                      </option>
                    ))}
                  </select>
                </div>
                <button type="button" className="link-button" onClick={() => update({ organizations: form.organizations.filter((o) => o.key !== org.key) })}>
                  Remove <span className="visually-hidden">organization {i + 1}</span>
                </button>
                {(rowProblem(org.key, "name") || rowProblem(org.key, "kind")) && (
                  <p id={`org-error-${org.key}`} className="field-error" role="alert">
                    {problem!.message}
                  </p>
                )}
              </li>
            ))}
          </ol>
          <button
            type="button"
            onClick={() => update({ organizations: [...form.organizations, orgRow()] })}
            disabled={form.organizations.length >= MAX_ORGANIZATIONS}
          >
            Add organization
          </button>
          {messageAt((p) => p.at === "organizations", "orgs-error")}
        </fieldset>
        <fieldset className="templates">
          <legend>What will you write?</legend>
          {(Object.keys(TEMPLATE_LABELS) as Template[]).map((t) => (
            <label key={t} className="radio">
              <input type="radio" name="template" value={t} checked={form.template === t} onChange={() => update({ template: t })} />
              {TEMPLATE_LABELS[t]}
            </label>
          ))}
        </fieldset>
        {messageAt((p) => p.at === "form", "form-error")}
        <div className="create__actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "Creating…" : "Create workshop"}
          </button>
          <button type="button" onClick={() => void trySample()} disabled={busy}>
            Try the sample partnership
          </button>
        </div>
      </form>
    </main>
  );
}
