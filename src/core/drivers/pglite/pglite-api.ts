/**
 * The part of `@electric-sql/pglite` this driver uses, typed structurally so the package is never
 * a compile-time or runtime dependency of tsalchemy itself.
 */
export interface PgliteResults {
  readonly rows: unknown[][];
  /** Each result column's name and type OID. */
  readonly fields: readonly { readonly name: string; readonly dataTypeID: number }[];
  /** Rows changed by INSERT, UPDATE, DELETE, MERGE or COPY; 0 for everything else. */
  readonly affectedRows?: number;
}

export interface PgliteInstance {
  readonly waitReady: Promise<void>;
  readonly closed: boolean;
  /** Result parsers by type OID; PGlite falls back to the raw text for OIDs not listed. */
  parsers: Record<number | string, (value: string, typeId?: number) => unknown>;
  /** Parameter serializers by type OID; PGlite falls back to `String(value)` for OIDs not listed. */
  serializers: Record<number | string, (value: unknown) => string>;
  query(sql: string, params: unknown[], options: { rowMode: "array" }): Promise<PgliteResults>;
  /** Whether a transaction block is open on the instance (every handle shares it). */
  isInTransaction(): boolean;
  close(): Promise<void>;
}

export interface PgliteModule {
  /** `options` are PGlite's own (`dataDir`, `database`, `username`, `relaxedDurability`, …). */
  PGlite: new (options: object) => PgliteInstance;
  types: { parsers: Record<string, unknown>; serializers: Record<string, unknown> };
}
