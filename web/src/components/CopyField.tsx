import QRCode from "qrcode";
import { useId, useRef, useState } from "react";

interface CopyFieldProps {
  label: string;
  value: string;
  /** Extra controls shown after the copy button (e.g. rotate). */
  children?: React.ReactNode;
}

async function copy(text: string, input: HTMLInputElement | null): Promise<boolean> {
  try {
    // Only in secure contexts (https or localhost); a LAN address over http falls back below.
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!input) return false;
    input.select();
    return document.execCommand("copy");
  }
}

/** A read-only link with a copy button and a QR code to project in the room. */
export function CopyField({ label, value, children }: CopyFieldProps) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"" | "copied" | "failed">("");
  const [qr, setQr] = useState<string | null>(null);
  const toggleQr = async () => {
    if (qr) return setQr(null);
    const svg = await QRCode.toString(value, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
    setQr(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
  };
  return (
    <div className="copy-field">
      <label htmlFor={id} className="copy-field__label">
        {label}
      </label>
      <div className="copy-field__row">
        <input id={id} ref={input} className="copy-field__input" readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" onClick={async () => setCopied((await copy(value, input.current)) ? "copied" : "failed")} aria-label={`Copy ${label}`}>
          Copy
        </button>
        <button type="button" onClick={() => void toggleQr()} aria-expanded={qr !== null} aria-label={`QR code for ${label}`}>
          QR
        </button>
        {children}
      </div>
      <span className="copy-field__status" role="status">
        {copied === "copied" ? "Copied." : copied === "failed" ? "Could not copy: select the link and copy it." : ""}
      </span>
      {qr && <img className="copy-field__qr" src={qr} alt={`QR code of the link: ${label}`} width={220} height={220} />}
    </div>
  );
}
