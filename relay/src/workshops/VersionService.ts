// Named versions: a version is the workshop's full encoded state, with a label, an author and
// a time; versions are immutable and anyone with a link can open and compare them.
import { nanoid } from "nanoid";
import * as Y from "yjs";
import { z } from "zod";
import type { Authenticated } from "../hooks/authenticate.js";
import { badRequest, forbidden, notFound } from "../http/HttpError.js";
import type { RoomRegistry } from "../room/RoomRegistry.js";
import type { DeletionRecord, Store, VersionRecord } from "../store/Store.js";

const versionSchema = z.object(
  {
    label: z
      .string({ error: "Give the version a name." })
      .transform((s) => s.trim())
      .pipe(z.string().min(1, { error: "Give the version a name." }).max(200, { error: "A version's name can be at most 200 characters." })),
    author: z.string().max(200).optional(),
  },
  { error: "The body must be a JSON object." },
);

/** Saves, lists and reads versions; serves the deletion log that attributes deletions in comparisons. */
export class VersionService {
  constructor(private readonly deps: { store: Store; registry: RoomRegistry }) {}

  /** `POST /api/workshops/:id/versions` (facilitator). */
  async create(auth: Authenticated, body: unknown): Promise<{ id: string; label: string; createdAt: number }> {
    if (auth.principal.role !== "facilitator") throw forbidden("Only a facilitator saves versions.");
    const parsed = versionSchema.safeParse(body);
    if (!parsed.success) throw badRequest(parsed.error.issues[0]?.message ?? "Invalid version.", "label");
    const record: VersionRecord = { id: nanoid(12), label: parsed.data.label, author: parsed.data.author?.trim() || "Facilitator", createdAt: Date.now() };
    const state = await this.deps.registry.withRoom(auth.workshop.id, async (room) => {
      // Only what is stored: a version never holds an update that could still be lost.
      await room.whenDurable();
      return Y.encodeStateAsUpdate(room.doc);
    });
    await this.deps.store.createVersion(auth.workshop.id, record, state);
    return { id: record.id, label: record.label, createdAt: record.createdAt };
  }

  /** `GET /api/workshops/:id/versions`. */
  list(auth: Authenticated): Promise<VersionRecord[]> {
    return this.deps.store.listVersions(auth.workshop.id);
  }

  /** `GET /api/workshops/:id/versions/:versionId`: the version's encoded Yjs state. */
  async state(auth: Authenticated, versionId: string): Promise<Uint8Array> {
    const state = await this.deps.store.getVersionState(auth.workshop.id, versionId);
    if (!state) throw notFound("There is no such version.");
    return state;
  }

  /** `GET /api/workshops/:id/deletions`: who deleted which characters, as [client, clock, len, orgId] rows. */
  async deletions(auth: Authenticated): Promise<Array<[number, number, number, string | null]>> {
    const records: DeletionRecord[] = await this.deps.store.listDeletions(auth.workshop.id);
    return records.map((r) => [r.client, r.clock, r.len, r.orgId]);
  }
}
