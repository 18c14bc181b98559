// Signed tokens bound to one workshop (../shared/CONTRACT.md, "Tokens and roles"), as
// HS256 JWTs made and checked by `jose`.
import fs from "node:fs";
import path from "node:path";
import crypto, { type webcrypto } from "node:crypto";
import type { Role } from "@crosswalk/shared";
import { jwtVerify, SignJWT, errors as joseErrors } from "jose";

/** What a token says about its bearer. */
export interface TokenClaims {
  /** The workshop it opens. */
  workshopId: string;
  role: Role;
  /** The organization a participant (or facilitator) writes for. */
  orgId: string | null;
  /** The generation of the organization's invite link; rotation revokes older ones. */
  generation: number;
}

const ISSUER = "crosswalk";

/** Signs and verifies tokens with one symmetric key. */
export class TokenSigner {
  /**
   * The key imported once: given raw bytes, jose imports a new CryptoKey (a native object) for
   * every token it signs or verifies, garbage that each connecting client would leave behind.
   */
  private cryptoKey: Promise<webcrypto.CryptoKey> | null = null;

  private constructor(private readonly key: Uint8Array) {}

  private hmacKey(): Promise<webcrypto.CryptoKey> {
    return (this.cryptoKey ??= crypto.webcrypto.subtle.importKey("raw", this.key, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]));
  }

  /** A signer for a secret string (CROSSWALK_SECRET). */
  static fromSecret(secret: string): TokenSigner {
    return new TokenSigner(new TextEncoder().encode(secret));
  }

  /** A signer whose key is generated once into `dataDir/secret.key` and kept there. */
  static fromDataDir(dataDir: string): TokenSigner {
    const file = path.join(dataDir, "secret.key");
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      // "wx": never overwrite a key another process wrote first.
      fs.writeFileSync(file, crypto.randomBytes(32).toString("base64url"), { flag: "wx", mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    return TokenSigner.fromSecret(fs.readFileSync(file, "utf8").trim());
  }

  /** A signed token for these claims. */
  async sign(claims: TokenClaims): Promise<string> {
    const payload: Record<string, unknown> = { wid: claims.workshopId, role: claims.role, gen: claims.generation };
    if (claims.orgId !== null) payload.org = claims.orgId;
    return new SignJWT(payload).setProtectedHeader({ alg: "HS256" }).setIssuer(ISSUER).setIssuedAt().sign(await this.hmacKey());
  }

  /** The claims of a valid token, or null for a missing, malformed, tampered or expired one. */
  async verify(token: string | null | undefined): Promise<TokenClaims | null> {
    if (!token || token.length > 4096) return null;
    try {
      const { payload } = await jwtVerify(token, await this.hmacKey(), { algorithms: ["HS256"], issuer: ISSUER });
      const { wid, role, org, gen } = payload as Record<string, unknown>;
      if (typeof wid !== "string" || (role !== "facilitator" && role !== "participant" && role !== "observer")) return null;
      if (org !== undefined && typeof org !== "string") return null;
      if (role === "participant" && typeof org !== "string") return null;
      return { workshopId: wid, role, orgId: typeof org === "string" ? org : null, generation: typeof gen === "number" ? gen : 0 };
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) return null;
      throw error;
    }
  }
}
