import { useState } from "react";

interface NamePromptProps {
  /** Who the link lets you in as ("Northgate University", "an observer"). */
  joiningAs: string;
  onName(name: string): void;
}

/** Asks for the name shown beside your caret (once; the browser remembers it). */
export function NamePrompt({ joiningAs, onName }: NamePromptProps) {
  const [name, setName] = useState("");
  const [error, setError] = useState("");
  return (
    <main className="prompt" id="main">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim() === "") return setError("Type your name so others know who is writing.");
          onName(name.trim());
        }}
        noValidate
      >
        <h1>Join the workshop</h1>
        <p>
          You are joining as <strong>{joiningAs}</strong>.
        </p>
        <div className="field">
          <label htmlFor="your-name">Your name</label>
          <input
            id="your-name"
            value={name}
            maxLength={80}
            autoFocus
            onChange={(e) => setName(e.target.value)}
            aria-invalid={error !== ""}
            aria-describedby={error ? "name-error" : undefined}
          />
          {error && (
            <p id="name-error" className="field-error" role="alert">
              {error}
            </p>
          )}
        </div>
        <button type="submit" className="primary">
          Join
        </button>
      </form>
    </main>
  );
}
