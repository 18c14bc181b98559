// Reflection rounds (../shared/CONTRACT.md, flag statements): statements are held by the
// relay alone (every participant's browser holds the whole Y.Doc, so a hidden statement must
// not be in it) until the facilitator reveals them all at once, in one document transaction.
import { flagSchema, flagsOf, readOrganizations, reflectionsOf, type Reflection } from "@crosswalk/shared";
import { nanoid } from "nanoid";
import { z } from "zod";
import type { Authenticated } from "../hooks/authenticate.js";
import { badRequest, forbidden, notFound } from "../http/HttpError.js";
import type { RoomRegistry } from "../room/RoomRegistry.js";
import type { HeldStatement, Store } from "../store/Store.js";

const statementSchema = z.object(
  {
    kind: z.enum(["perspective-making", "perspective-taking"], { error: "The kind must be perspective-making or perspective-taking." }),
    aboutOrgId: z.string().min(1).max(200).optional(),
    /** The writer's name (Crosswalk's addition; the organization comes from the token). */
    author: z.string().max(200).optional(),
    text: z
      .string({ error: "The statement must be text." })
      .transform((s) => s.trim())
      .pipe(z.string().min(1, { error: "Write the statement first." }).max(10_000, { error: "A statement can be at most 10,000 characters." })),
  },
  { error: "The body must be a JSON object." },
);

/** The answer of `GET …/flags/:flagId/statements`: who submitted, never what. */
export interface StatementStatus {
  submitted: Record<string, number>;
  revealed: boolean;
}

function toReflection(s: HeldStatement): Reflection {
  const { id, flagId, orgId, author, kind, aboutOrgId, text, createdAt } = s;
  return { id, flagId, orgId, author, kind, text, createdAt, ...(aboutOrgId ? { aboutOrgId } : {}) };
}

/** Holds, counts and reveals reflection statements. */
export class ReflectionService {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: { store: Store; registry: RoomRegistry }) {}

  /** One flag's submissions and reveal never interleave (a statement is either held and revealed, or written after). */
  private serialize<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const settled = next.catch(() => {});
    this.locks.set(key, settled);
    void settled.then(() => {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    });
    return next;
  }

  /** `POST …/flags/:flagId/statements` (participant, for its own organization). */
  async submit(auth: Authenticated, flagId: string, body: unknown): Promise<{ id: string }> {
    const { principal, workshop } = auth;
    if (principal.role !== "participant" || !principal.orgId) throw forbidden("Only an organization's participants write its statements.");
    const parsed = statementSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw badRequest(issue?.message ?? "Invalid statement.", issue?.path.join("."));
    }
    const { kind, aboutOrgId, text, author } = parsed.data;
    return this.serialize(`${workshop.id}|${flagId}`, () =>
      this.deps.registry.withRoom(workshop.id, async (room) => {
        const flag = flagSchema.safeParse(flagsOf(room.doc).get(flagId));
        if (!flag.success) throw notFound("There is no such flag.");
        if (flag.data.status === "closed") throw badRequest("This reflection round is closed.");
        if (kind === "perspective-taking") {
          if (!aboutOrgId) throw badRequest("Say which organization you heard.", "aboutOrgId");
          if (aboutOrgId === principal.orgId) throw badRequest("Perspective-taking is about another organization.", "aboutOrgId");
          if (!readOrganizations(room.doc).some((o) => o.id === aboutOrgId)) throw badRequest("There is no such organization.", "aboutOrgId");
        } else if (aboutOrgId) throw badRequest("A perspective-making statement is about your own organization.", "aboutOrgId");
        const statement: HeldStatement = {
          id: nanoid(12),
          flagId,
          orgId: principal.orgId!,
          author: author?.trim() || "participant",
          kind,
          text,
          createdAt: Date.now(),
          ...(kind === "perspective-taking" ? { aboutOrgId: aboutOrgId! } : {}),
        };
        await this.deps.store.addStatement(workshop.id, statement);
        // After the reveal, statements go straight into the document.
        if (await this.deps.store.isRevealed(workshop.id, flagId)) {
          const ok = await room.change(() => reflectionsOf(room.doc).set(statement.id, toReflection(statement)));
          if (!ok) throw new Error("the statement could not be stored in the document");
        }
        return { id: statement.id };
      }),
    );
  }

  /** `GET …/flags/:flagId/statements` (any valid token): counts per organization, never the texts. */
  async status(auth: Authenticated, flagId: string): Promise<StatementStatus> {
    const id = auth.workshop.id;
    const submitted: Record<string, number> = {};
    for (const s of await this.deps.store.listStatements(id, flagId)) submitted[s.orgId] = (submitted[s.orgId] ?? 0) + 1;
    return { submitted, revealed: await this.deps.store.isRevealed(id, flagId) };
  }

  /** `POST …/flags/:flagId/reveal` (facilitator): every held statement into `reflections`, in one transaction. */
  async reveal(auth: Authenticated, flagId: string): Promise<{ revealed: number }> {
    if (auth.principal.role !== "facilitator") throw forbidden("Only a facilitator reveals statements.");
    const id = auth.workshop.id;
    return this.serialize(`${id}|${flagId}`, () =>
      this.deps.registry.withRoom(id, async (room) => {
        if (!flagSchema.safeParse(flagsOf(room.doc).get(flagId)).success) throw notFound("There is no such flag.");
        const held = await this.deps.store.listStatements(id, flagId);
        const reflections = reflectionsOf(room.doc);
        const ok = await room.change(() => {
          for (const s of held) reflections.set(s.id, toReflection(s));
        });
        if (!ok) throw new Error("the statements could not be stored in the document");
        // Marked after the document change is durable; a retry after a crash rewrites the same records.
        await this.deps.store.markRevealed(id, flagId);
        return { revealed: held.length };
      }),
    );
  }
}
