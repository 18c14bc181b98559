import type { Editor } from "@tiptap/react";
import { useEditorState } from "@tiptap/react";

interface ToolbarProps {
  editor: Editor;
  /** Annotates the selection; absent when the person cannot annotate. */
  onAnnotate: (() => void) | null;
  /** Flags the selection for reflection; facilitators only. */
  onFlag?: (() => void) | null;
  /** Imports a file at the cursor; absent for observers. */
  onImport?: ((file: File) => void) | null;
}

/** Formatting buttons; each also has its keyboard shortcut (Ctrl/⌘+B, I, Alt+2, …). */
export function Toolbar({ editor, onAnnotate, onFlag, onImport }: ToolbarProps) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive("bold"),
      italic: e.isActive("italic"),
      h2: e.isActive("heading", { level: 2 }),
      h3: e.isActive("heading", { level: 3 }),
      bullet: e.isActive("bulletList"),
      ordered: e.isActive("orderedList"),
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
    }),
  });
  const button = (label: string, text: string, pressed: boolean | null, run: () => void, disabled = false) => (
    <button
      type="button"
      className="toolbar__button"
      aria-label={label}
      title={label}
      aria-pressed={pressed === null ? undefined : pressed}
      disabled={disabled}
      onMouseDown={(e) => e.preventDefault()}
      onClick={run}
    >
      {text}
    </button>
  );
  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting">
      {button("Bold (Ctrl+B)", "B", state.bold, () => editor.chain().focus().toggleBold().run())}
      {button("Italic (Ctrl+I)", "I", state.italic, () => editor.chain().focus().toggleItalic().run())}
      {button("Heading (Ctrl+Alt+2)", "H2", state.h2, () => editor.chain().focus().toggleHeading({ level: 2 }).run())}
      {button("Subheading (Ctrl+Alt+3)", "H3", state.h3, () => editor.chain().focus().toggleHeading({ level: 3 }).run())}
      {button("Bulleted list (Ctrl+Shift+8)", "• List", state.bullet, () => editor.chain().focus().toggleBulletList().run())}
      {button("Numbered list (Ctrl+Shift+7)", "1. List", state.ordered, () => editor.chain().focus().toggleOrderedList().run())}
      {button("Undo your last change (Ctrl+Z)", "Undo", null, () => editor.chain().focus().undo().run(), !state.canUndo)}
      {button("Redo (Ctrl+Shift+Z)", "Redo", null, () => editor.chain().focus().redo().run(), !state.canRedo)}
      {onAnnotate && (
        <button type="button" className="toolbar__button toolbar__annotate" onMouseDown={(e) => e.preventDefault()} onClick={onAnnotate} title="Annotate the selected passage (Ctrl+Alt+M)">
          Annotate
        </button>
      )}
      {onImport && (
        <label className="toolbar__button toolbar__import" title="Import a Word document (.docx) or a Markdown file (.md) at the cursor">
          Import…
          <input
            type="file"
            className="visually-hidden"
            accept=".docx,.md,.markdown,.txt,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/markdown"
            aria-label="Import a Word document or a Markdown file"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              e.currentTarget.value = "";
              if (file) onImport(file);
            }}
          />
        </label>
      )}
      {onFlag && (
        <button type="button" className="toolbar__button" onMouseDown={(e) => e.preventDefault()} onClick={onFlag} title="Flag the selected passage for structured reflection">
          Flag
        </button>
      )}
    </div>
  );
}
