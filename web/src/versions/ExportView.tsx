import type { Section, WorkshopAnalysis } from "@crosswalk/shared";
import { useEffect, useState } from "react";
import { listVersions, type VersionInfo } from "../api/api.js";

interface ExportViewProps {
  workshopId: string;
  token: string;
  sections: readonly Section[];
  analysis: WorkshopAnalysis | null;
}

const FORMATS = [
  { id: "docx", label: "Word (.docx)" },
  { id: "pdf", label: "PDF" },
  { id: "md", label: "Markdown" },
  { id: "html", label: "Web page (HTML)" },
] as const;

const APPENDICES = [
  { id: "consent", label: "Consent record (organization, level, note, date)" },
  { id: "reflections", label: "Reflection record (each flag's outcome, every “agree to differ” in the organizations' own words)" },
  { id: "annotations", label: "Annotation summary per organization" },
  { id: "crosswalk", label: "Dimension crosswalk table" },
] as const;

const STATUS_WORDS = { agreed: "Agreed", pending: "Pending", blocked: "Blocked" } as const;

/** The Export dialog: format, scope (agreed sections by default), appendices, and which version. */
export function ExportView({ workshopId, token, sections, analysis }: ExportViewProps) {
  const [format, setFormat] = useState<(typeof FORMATS)[number]["id"]>("docx");
  const [scope, setScope] = useState<"agreed" | "all">("agreed");
  const [appendices, setAppendices] = useState<string[]>(["consent", "reflections"]);
  const [version, setVersion] = useState("");
  const [versions, setVersions] = useState<VersionInfo[]>([]);
  useEffect(() => {
    listVersions(workshopId, token).then(setVersions, () => setVersions([]));
  }, [workshopId, token]);
  const status = (id: string) => {
    const c = analysis?.consent[id];
    if (!c) return "…";
    return STATUS_WORDS[c.agreed ? "agreed" : c.blocking.length > 0 ? "blocked" : "pending"];
  };
  const agreed = sections.filter((s) => analysis?.consent[s.id]?.agreed);
  const params = new URLSearchParams({ format, scope, appendices: appendices.join(","), token });
  if (version) params.set("version", version);
  const href = `/api/workshops/${encodeURIComponent(workshopId)}/export?${params.toString()}`;
  return (
    <div className="export">
      <fieldset>
        <legend>Format</legend>
        {FORMATS.map((f) => (
          <label key={f.id} className="filter-option">
            <input type="radio" name="export-format" checked={format === f.id} onChange={() => setFormat(f.id)} />
            {f.label}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Sections</legend>
        <label className="filter-option">
          <input type="radio" name="export-scope" checked={scope === "agreed"} onChange={() => setScope("agreed")} />
          Agreed sections only ({agreed.length} of {sections.length})
        </label>
        <label className="filter-option">
          <input type="radio" name="export-scope" checked={scope === "all"} onChange={() => setScope("all")} />
          All sections, each marked with its status
        </label>
        <ul className="export__sections">
          {sections.map((s) => (
            <li key={s.id}>
              {s.title}: <strong>{status(s.id)}</strong>
            </li>
          ))}
        </ul>
      </fieldset>
      <fieldset>
        <legend>Appendices</legend>
        {APPENDICES.map((a) => (
          <label key={a.id} className="filter-option">
            <input
              type="checkbox"
              checked={appendices.includes(a.id)}
              onChange={() => setAppendices((list) => (list.includes(a.id) ? list.filter((x) => x !== a.id) : [...list, a.id]))}
            />
            {a.label}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="export-version">Text</label>
        <select id="export-version" value={version} onChange={(e) => setVersion(e.target.value)}>
          <option value="">The current text</option>
          {versions.map((v) => (
            <option key={v.id} value={v.id}>
              Version “{v.label}”
            </option>
          ))}
        </select>
      </div>
      <a className="primary button-link" href={href} download>
        Download
      </a>
    </div>
  );
}
