import { MAX_ANNOTATION_BODY, STANCES, type AnnotationInput, type Dimension, type Stance } from "@crosswalk/shared";
import { useId, useState } from "react";
import { STANCE_LABELS } from "./labels.js";

interface AnnotateFormProps {
  /** The passage, as it reads now. */
  quote: string;
  dimensions: readonly Dimension[];
  initial?: AnnotationInput;
  submitLabel: string;
  /** Returns an error message, or null when saved. */
  onSubmit(input: AnnotationInput): string | null;
  onCancel(): void;
}

/** Stance, equity dimensions and a comment for a passage (new annotation or edit). */
export function AnnotateForm({ quote, dimensions, initial, submitLabel, onSubmit, onCancel }: AnnotateFormProps) {
  const id = useId();
  const [stance, setStance] = useState<Stance>(initial?.stance ?? "note");
  const [chosen, setChosen] = useState<string[]>(initial?.dimensions ?? []);
  const [body, setBody] = useState(initial?.body ?? "");
  const [error, setError] = useState<string | null>(null);
  const toggle = (d: string) => setChosen((c) => (c.includes(d) ? c.filter((x) => x !== d) : [...c, d]));
  return (
    <form
      className="annotate-form"
      aria-label="Annotate the passage"
      onSubmit={(e) => {
        e.preventDefault();
        setError(onSubmit({ stance, dimensions: chosen, body }));
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape") onCancel();
      }}
    >
      <blockquote className="annotate-form__quote">{quote}</blockquote>
      <fieldset>
        <legend>Your organization's stance</legend>
        <div className="stances">
          {STANCES.map((s, i) => (
            <label key={s} className="stance-option">
              <input type="radio" name={`${id}-stance`} value={s} checked={stance === s} onChange={() => setStance(s)} autoFocus={i === 0 && !initial} />
              <span aria-hidden="true">{STANCE_LABELS[s].symbol}</span> {STANCE_LABELS[s].label}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Equity dimensions it concerns</legend>
        <div className="chips">
          {dimensions.map((d) => (
            <label key={d.id} className={`chip${chosen.includes(d.id) ? " chip--on" : ""}`}>
              <input type="checkbox" checked={chosen.includes(d.id)} onChange={() => toggle(d.id)} />
              {d.label}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-body`}>Comment</label>
        <textarea id={`${id}-body`} value={body} rows={4} onChange={(e) => setBody(e.target.value)} aria-describedby={`${id}-count`} />
        <span id={`${id}-count`} className={`hint${body.length > MAX_ANNOTATION_BODY ? " field-error" : ""}`}>
          {body.length} / {MAX_ANNOTATION_BODY} characters
        </span>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="annotate-form__actions">
        <button type="submit" className="primary">
          {submitLabel}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
