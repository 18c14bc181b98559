import { sectionFieldName, type Section } from "@crosswalk/shared";
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { Placeholder } from "@tiptap/extensions";
import { EditorContent, useEditor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import type { Editor } from "@tiptap/core";
import { useEffect } from "react";
import type { AnnotationStore } from "../annotations/AnnotationStore.js";
import type { LocalUser, WorkshopSession } from "../collab/WorkshopSession.js";
import { Annotations } from "./AnnotationsExtension.js";
import { renderCaret, renderSelection } from "./carets.js";
import { selectedPassage, type SelectedPassage } from "./selection.js";
import { Toolbar } from "./Toolbar.js";

interface SectionEditorProps {
  session: WorkshopSession;
  section: Section;
  user: LocalUser;
  readOnly: boolean;
  annotations: AnnotationStore;
  /** Set when the person may annotate: receives the selected passage (or why not). */
  onAnnotate: ((passage: SelectedPassage) => void) | null;
  /** Set for facilitators: flags the selected passage for reflection. */
  onFlag?: ((passage: SelectedPassage) => void) | null;
  /** Imports a .docx or .md file into the section; absent for observers. */
  onImport?: ((file: File) => void) | null;
  /** The editor once it exists (for scrolling to annotations). */
  onEditor(editor: Editor | null): void;
}

const PLACEHOLDERS: Record<Section["kind"], string> = {
  definition: "Write the shared definition of equity together…",
  portrait: "Describe what an equity-centered leader does…",
  "org-definition": "Write your organization's current definition of equity…",
};

/** The rich-text editor of one section, bound to its Y.XmlFragment; remount it per section (key). */
export function SectionEditor({ session, section, user, readOnly, annotations, onAnnotate, onFlag, onImport, onEditor }: SectionEditorProps) {
  const editor = useEditor({
    extensions: [
      // Undo history comes from Collaboration (only your own changes are undone).
      StarterKit.configure({ undoRedo: false, link: { openOnClick: false } }),
      Collaboration.configure({ document: session.doc, field: sectionFieldName(section.id) }),
      CollaborationCaret.configure({ provider: session.provider, user, render: renderCaret, selectionRender: renderSelection }),
      Placeholder.configure({ placeholder: readOnly ? "" : PLACEHOLDERS[section.kind] }),
      Annotations.configure({ ydoc: session.doc, sectionId: section.id, store: annotations }),
    ],
    editable: !readOnly,
    // The CSP allows no inline <style>; the editor's base CSS is in styles/app.css.
    injectCSS: false,
    editorProps: {
      attributes: {
        "aria-label": `${section.title}${readOnly ? " (read only)" : ""}`,
        "aria-multiline": "true",
        role: "textbox",
        "aria-readonly": String(readOnly),
        class: "editor__content",
        "data-testid": "editor",
      },
    },
  });
  useEffect(() => {
    onEditor(editor);
    return () => onEditor(null);
  }, [editor, onEditor]);
  if (!editor) return null;
  const annotate = onAnnotate ? () => onAnnotate(selectedPassage(editor, session.doc, section.id)) : null;
  const flag = onFlag ? () => onFlag(selectedPassage(editor, session.doc, section.id)) : null;
  return (
    <div
      className="editor"
      onKeyDown={(e) => {
        // Ctrl/⌘+Alt+M: annotate the selection, as in word processors' "new comment".
        if (annotate && (e.ctrlKey || e.metaKey) && e.altKey && e.key.toLowerCase() === "m") {
          e.preventDefault();
          annotate();
        }
      }}
    >
      {readOnly ? <p className="editor__notice">You are observing: you can read everything live but not edit.</p> : <Toolbar editor={editor} onAnnotate={annotate} onFlag={flag} onImport={onImport ?? null} />}
      <EditorContent editor={editor} />
    </div>
  );
}
