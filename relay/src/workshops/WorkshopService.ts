// Workshops, organizations and invite links: the logic behind the HTTP API, apart from HTTP.
import {
  addSectionWithContent,
  analyzeWorkshop,
  colorForIndex,
  initializeWorkshop,
  orgDefinitionSection,
  paragraph,
  parseAddOrganization,
  parseCreateWorkshop,
  putOrganization,
  readMeta,
  readOrganizations,
  readSections,
  sectionsOf,
  type AddOrganizationResponse,
  type CreateWorkshopResponse,
  type Organization,
  type RotateLinkResponse,
  type WorkshopAnalysis,
  type WorkshopInfo,
  type WorkshopLinks,
  EDITOR_SCHEMA_VERSION,
} from "@crosswalk/shared";
import { nanoid } from "nanoid";
import * as Y from "yjs";
import type { TokenSigner } from "../auth/tokens.js";
import type { Authenticated } from "../hooks/authenticate.js";
import { badRequest, forbidden, notFound } from "../http/HttpError.js";
import { readDocument } from "../room/readDocument.js";
import type { Room } from "../room/Room.js";
import type { RoomRegistry } from "../room/RoomRegistry.js";
import type { Store, WorkshopRecord } from "../store/Store.js";
import { inviteLink } from "./publicUrl.js";
import { sampleRequest, seedSample } from "./sample.js";

/** Fills a new workshop's document before it is stored (the sample partnership does). */
export type Seed = (doc: Y.Doc, organizations: readonly Organization[]) => void;

/** What the service needs. */
export interface WorkshopServiceDeps {
  store: Store;
  signer: TokenSigner;
  registry: RoomRegistry;
  /** The base URL of invite links (known once the server listens). */
  baseUrl(): string;
  /** Closes live participant sockets of an organization whose tokens are older than `generation`. */
  revokeOlder(workshopId: string, orgId: string, generation: number): void;
}

/** Creates workshops and manages their organizations and links. */
export class WorkshopService {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: WorkshopServiceDeps) {}

  /** Runs record updates of one workshop one at a time. */
  private serialize<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const settled = next.catch(() => {});
    this.locks.set(id, settled);
    void settled.then(() => {
      if (this.locks.get(id) === settled) this.locks.delete(id);
    });
    return next;
  }

  /** `POST /api/workshops`. */
  async create(body: unknown, seed?: Seed): Promise<CreateWorkshopResponse> {
    const parsed = parseCreateWorkshop(body);
    if (!parsed.ok) throw badRequest(parsed.problem.message, parsed.problem.field);
    const { title, organizations: inputs, template = "full" } = parsed.value;
    const id = nanoid(21);
    const organizations: Organization[] = inputs.map((o, i) => ({ id: nanoid(10), name: o.name, kind: o.kind, color: colorForIndex(i) }));
    const createdAt = Date.now();
    const doc = new Y.Doc();
    initializeWorkshop(doc, { title, template, createdAt, organizations });
    seed?.(doc, organizations);
    const record: WorkshopRecord = {
      id,
      title,
      template,
      createdAt,
      schemaVersion: EDITOR_SCHEMA_VERSION,
      organizations,
      linkGenerations: Object.fromEntries(organizations.map((o) => [o.id, 0])),
    };
    await this.deps.store.createWorkshop(record, Y.encodeStateAsUpdate(doc));
    doc.destroy();
    const base = this.deps.baseUrl();
    const facilitator = await this.deps.signer.sign({ workshopId: id, role: "facilitator", orgId: null, generation: 0 });
    const observer = await this.deps.signer.sign({ workshopId: id, role: "observer", orgId: null, generation: 0 });
    const participants: Record<string, string> = {};
    for (const org of organizations) {
      participants[org.id] = await this.deps.signer.sign({ workshopId: id, role: "participant", orgId: org.id, generation: 0 });
    }
    return {
      id,
      title,
      organizations,
      links: {
        facilitator: inviteLink(base, id, facilitator),
        observer: inviteLink(base, id, observer),
        participants: Object.fromEntries(Object.entries(participants).map(([orgId, t]) => [orgId, inviteLink(base, id, t)])),
      },
      tokens: { facilitator, observer, participants },
    };
  }

  /** `POST /api/workshops/sample`: a workshop of the sample partnership, its sections filled in. */
  async createSample(): Promise<CreateWorkshopResponse> {
    return this.create(sampleRequest(), seedSample);
  }

  /** `GET /api/workshops/:id/analysis`: the divergence analysis of the current document. */
  async analysis(auth: Authenticated): Promise<WorkshopAnalysis> {
    return readDocument(this.deps.registry, this.deps.store, auth.workshop.id, (doc) => analyzeWorkshop(doc));
  }

  /** `GET /api/workshops/:id`. */
  async info(auth: Authenticated): Promise<WorkshopInfo> {
    const { workshop, principal } = auth;
    return readDocument(this.deps.registry, this.deps.store, workshop.id, (doc) => ({
      id: workshop.id,
      title: readMeta(doc).title || workshop.title,
      organizations: readOrganizations(doc),
      sections: readSections(doc),
      role: principal.role,
      orgId: principal.orgId,
    }));
  }

  /** `POST /api/workshops/:id/organizations` (facilitator). */
  async addOrganization(auth: Authenticated, body: unknown): Promise<AddOrganizationResponse> {
    if (auth.principal.role !== "facilitator") throw forbidden("Only a facilitator can add an organization.");
    const id = auth.workshop.id;
    return this.serialize(id, async () => {
      const record = await this.requireRecord(id);
      const parsed = parseAddOrganization(body, record.organizations);
      if (!parsed.ok) throw badRequest(parsed.problem.message, parsed.problem.field);
      const org: Organization = { id: nanoid(10), name: parsed.value.name, kind: parsed.value.kind, color: colorForIndex(record.organizations.length) };
      await this.deps.store.putWorkshop({
        ...record,
        organizations: [...record.organizations, org],
        linkGenerations: { ...record.linkGenerations, [org.id]: 0 },
      });
      const stored = await this.deps.registry.withRoom(id, (room) => this.addToDocument(room, org, record));
      if (!stored) throw new Error("the organization could not be stored in the document");
      const token = await this.deps.signer.sign({ workshopId: id, role: "participant", orgId: org.id, generation: 0 });
      return { ...org, link: inviteLink(this.deps.baseUrl(), id, token), token };
    });
  }

  private addToDocument(room: Room, org: Organization, record: WorkshopRecord): Promise<boolean> {
    const doc = room.doc;
    return room.change(() => {
      putOrganization(doc, org);
      if (record.template === "leader-portrait") return;
      // Its own-definition section goes after the other organizations' ones.
      const entries = sectionsOf(doc).toArray() as Array<{ kind?: unknown }>;
      const lastOrgDefinition = entries.map((s) => s.kind).lastIndexOf("org-definition");
      addSectionWithContent(doc, orgDefinitionSection(org), [paragraph()], lastOrgDefinition + 1);
    });
  }

  /**
   * `GET /api/workshops/:id/links` (facilitator; Crosswalk's addition to the contract): the
   * current invite links, freshly signed, so a facilitator on another device can share them.
   */
  async links(auth: Authenticated): Promise<WorkshopLinks> {
    if (auth.principal.role !== "facilitator") throw forbidden("Only a facilitator can see the invite links.");
    const record = await this.requireRecord(auth.workshop.id);
    const id = record.id;
    const base = this.deps.baseUrl();
    const participants: Record<string, string> = {};
    for (const org of record.organizations) {
      const generation = record.linkGenerations[org.id] ?? 0;
      participants[org.id] = inviteLink(base, id, await this.deps.signer.sign({ workshopId: id, role: "participant", orgId: org.id, generation }));
    }
    return {
      facilitator: inviteLink(base, id, await this.deps.signer.sign({ workshopId: id, role: "facilitator", orgId: null, generation: 0 })),
      observer: inviteLink(base, id, await this.deps.signer.sign({ workshopId: id, role: "observer", orgId: null, generation: 0 })),
      participants,
    };
  }

  /** `POST /api/workshops/:id/organizations/:orgId/rotate` (facilitator). */
  async rotateLink(auth: Authenticated, orgId: string): Promise<RotateLinkResponse> {
    if (auth.principal.role !== "facilitator") throw forbidden("Only a facilitator can rotate an invite link.");
    const id = auth.workshop.id;
    return this.serialize(id, async () => {
      const record = await this.requireRecord(id);
      if (!record.organizations.some((o) => o.id === orgId)) throw notFound("This workshop has no such organization.");
      const generation = (record.linkGenerations[orgId] ?? 0) + 1;
      await this.deps.store.putWorkshop({ ...record, linkGenerations: { ...record.linkGenerations, [orgId]: generation } });
      this.deps.revokeOlder(id, orgId, generation);
      const token = await this.deps.signer.sign({ workshopId: id, role: "participant", orgId, generation });
      return { link: inviteLink(this.deps.baseUrl(), id, token), token };
    });
  }

  private async requireRecord(id: string): Promise<WorkshopRecord> {
    const record = await this.deps.store.getWorkshop(id);
    if (!record) throw notFound();
    return record;
  }
}
