import { ArgumentError, InvalidRequestError } from "../../shared/errors.ts";
import type { TableColumn } from "../../core/schema/column.ts";
import type { ForeignKeyConstraint } from "../../core/schema/constraints.ts";
import type { Table } from "../../core/schema/table.ts";
import type { LoadStrategy, RelationshipSpec } from "../mapping/relationship.ts";
import type { Expression } from "../../core/sql/coercions.ts";
import { isForeign, joinEqualities } from "./custom-join.ts";
import { checkDeclarationNames } from "./declaration-names.ts";
import type { RelationshipDirection } from "./relationship-direction.ts";

/** Local column ↔ remote column, one pair per column of the join. */
export interface ColumnPair {
  readonly local: TableColumn<unknown>;
  readonly remote: TableColumn<unknown>;
}

/** What a relationship needs from the mapper that owns it and from the registry. */
export interface RelationshipContext extends SpannedTables {
  readonly className: string;
  readonly table: Table;
  resolveTarget(spec: RelationshipSpec<unknown, LoadStrategy>): RelationshipMapper;
}

/** The tables of an inheritance hierarchy's class, base first (joined-table inheritance spans several). */
interface SpannedTables {
  readonly inheritance?: { readonly tables: readonly Table[] } | undefined;
}

/** The part of a target mapper a relationship looks at. */
export interface RelationshipMapper extends SpannedTables {
  readonly className: string;
  readonly table: Table;
  relationship(key: string): RelationshipProperty | undefined;
}

export type Cascade = "save-update" | "merge" | "refresh-expire" | "expunge" | "delete" | "delete-orphan";

const ALL: readonly Cascade[] = ["save-update", "merge", "refresh-expire", "expunge", "delete"];
const VIEWONLY_CASCADES: ReadonlySet<Cascade> = new Set(["merge", "refresh-expire", "expunge"]);

/** The join analysis of a relationship, done once at configuration. */
export interface RelationshipJoin {
  readonly target: RelationshipMapper;
  readonly direction: RelationshipDirection;
  /** parent column ↔ target column (through `secondary` for many-to-many: parent ↔ secondary). */
  readonly pairs: readonly ColumnPair[];
  /** Many-to-many only: the association table and its target-side pairs (secondary ↔ target). */
  readonly secondary: { readonly table: Table; readonly targetPairs: readonly ColumnPair[] } | undefined;
  readonly uselist: boolean;
  /** A many-to-one whose remote columns are the target's primary key: a lazy load may use the identity map. */
  readonly useGet: boolean;
}

/**
 * A mapped relationship attribute. Its join is worked out from foreign keys the first time it is
 * needed, when every model has been declared (SQLAlchemy's mapper configuration).
 */
export class RelationshipProperty {
  readonly kind = "relationship";
  readonly key: string;
  readonly slot: number;
  readonly spec: RelationshipSpec<unknown, LoadStrategy>;
  readonly strategy: LoadStrategy;
  readonly cascade: ReadonlySet<Cascade>;
  readonly #context: RelationshipContext;
  #join: RelationshipJoin | undefined;

  constructor(key: string, slot: number, spec: RelationshipSpec<unknown, LoadStrategy>, context: RelationshipContext) {
    this.key = key;
    this.slot = slot;
    this.spec = spec;
    this.strategy = spec.options.lazy ?? "select";
    const cascade = parseCascade(spec.options.cascade, `${context.className}.${key}`);
    // As SQLAlchemy: a viewonly relationship keeps only the cascades that do not persist anything.
    this.cascade = spec.options.viewonly ? new Set([...cascade].filter((c) => VIEWONLY_CASCADES.has(c))) : cascade;
    this.#context = context;
  }

  /** `Class.attribute`, for messages. */
  get path(): string {
    return `${this.#context.className}.${this.key}`;
  }

  get join(): RelationshipJoin {
    this.#join ??= this.#configure();
    return this.#join;
  }

  /** The other side named by `backPopulates`, if any. */
  get backPopulates(): RelationshipProperty | undefined {
    const name = this.spec.options.backPopulates;
    if (name === undefined) return undefined;
    const other = this.join.target.relationship(name);
    if (!other) throw new ArgumentError(`${this.path}: backPopulates names "${name}", which is not a relationship of ${this.join.target.className}`);
    return other;
  }

  #configure(): RelationshipJoin {
    const target = this.#context.resolveTarget(this.spec);
    const parentTable = this.#context.table;
    const options = this.spec.options;
    const secondary = options.secondary === undefined ? undefined : parentTable.metadata.tables.get(options.secondary);
    checkDeclarationNames(this.path, options, parentTable, target, secondary);
    if (options.secondary !== undefined) return this.#manyToMany(target, parentTable, options.secondary);
    if (options.primaryjoin) return this.#fromCondition(target, parentTable, options.primaryjoin());
    const restrict = options.foreignKeys;
    const columnKeys = (fk: ForeignKeyConstraint) => fk.columns;
    const chosen = (fks: readonly ForeignKeyConstraint[]) =>
      restrict ? fks.filter((fk) => columnKeys(fk).every((c) => restrict.includes(c))) : fks;
    // A joined-table subclass's row spans its tables: a foreign key on any of them links it.
    const parentTables = this.#context.inheritance?.tables ?? [parentTable];
    const targetTables = target.inheritance?.tables ?? [target.table];
    const holder = new Map<ForeignKeyConstraint, Table>();
    const linking = (from: readonly Table[], to: readonly Table[]) =>
      chosen(
        from.flatMap((table) =>
          table.foreignKeys.filter((fk) => {
            const referenced = table.metadata.referencedTable(fk);
            if (!to.includes(referenced)) return false;
            // The key of a subclass table referencing its parent's is the hierarchy's own link.
            const inheritsKey = referenced !== table && fk.columns.every((key) => table.column(key)?.primaryKey === true);
            if (inheritsKey && (from.includes(referenced) || to.includes(table))) return false;
            holder.set(fk, table);
            return true;
          }),
        ),
      );
    const toTarget = linking(parentTables, targetTables);
    const fromTarget = linking(targetTables, parentTables);
    const selfReferential = parentTable === target.table || toTarget.some((fk) => fromTarget.includes(fk));
    let direction: RelationshipDirection;
    let fk: ForeignKeyConstraint;
    if (selfReferential) {
      // Self-referential: one-to-many unless remoteSide names the referenced (primary key) columns.
      const only = this.#single(toTarget, "self-referential");
      const remoteSide = options.remoteSide;
      direction = remoteSide && remoteSide.some((key) => !only.columns.includes(key)) ? "many-to-one" : "one-to-many";
      fk = only;
    } else if (toTarget.length > 0 && fromTarget.length > 0) {
      throw this.#ambiguous("there are foreign key paths in both directions", [...toTarget, ...fromTarget]);
    } else if (toTarget.length > 0) {
      direction = "many-to-one";
      fk = this.#single(toTarget, "many-to-one");
    } else if (fromTarget.length > 0) {
      direction = "one-to-many";
      fk = this.#single(fromTarget, "one-to-many");
    } else {
      throw new ArgumentError(
        `Could not determine the join condition of relationship ${this.path}: no foreign key links ` +
          `"${parentTable.name}" and "${target.table.name}". Add ForeignKey(...) to the column that references the other table.`,
      );
    }
    const fkTable = holder.get(fk) ?? (direction === "many-to-one" ? parentTable : target.table);
    const pairs = fkPairs(fk, fkTable);
    const oriented =
      direction === "many-to-one"
        ? pairs.map((p) => ({ local: p.referencing, remote: p.referenced }))
        : pairs.map((p) => ({ local: p.referenced, remote: p.referencing }));
    const uselist = options.uselist ?? direction !== "many-to-one";
    const useGet =
      direction === "many-to-one" &&
      !uselist &&
      targetTables.some((table) => table.primaryKey.length === oriented.length && table.primaryKey.every((c, i) => oriented[i]?.remote === c));
    return { target, direction, pairs: oriented, secondary: undefined, uselist, useGet };
  }

  /**
   * The join of a hand-written `primaryjoin` between the parent and target tables: its equalities
   * are the pairs; the column of each that holds the foreign key (by `foreignKeys`, else by the
   * table's ForeignKey) says the direction — on the parent's side a many-to-one, on the target's a
   * one-to-many. Self-referential: `remoteSide` names the referenced columns of a many-to-one.
   */
  #fromCondition(target: RelationshipMapper, parentTable: Table, condition: Expression<boolean>): RelationshipJoin {
    const options = this.spec.options;
    const self = parentTable === target.table;
    const oriented: ColumnPair[] = [];
    let direction: RelationshipDirection | undefined;
    for (const { one, other } of joinEqualities(condition, parentTable, target.table, this.path, "primaryjoin")) {
      // For a self-referential condition `one`/`other` are as written: the foreign one is found first.
      const oneForeign = isForeign(one, other, parentTable, options.foreignKeys);
      const otherForeign = isForeign(other, one, target.table, options.foreignKeys);
      if (oneForeign === otherForeign) {
        throw new ArgumentError(
          `Could not determine the direction of relationship ${this.path} from its primaryjoin: ` +
            `${oneForeign ? "both" : "neither"} of ${one.tableName}.${one.name} and ${other.tableName}.${other.name} hold a foreign key. ` +
            "Name the referencing column(s) with relationship(..., { foreignKeys: [...] }).",
        );
      }
      const foreign = oneForeign ? one : other;
      const referenced = oneForeign ? other : one;
      const manyToOne = self ? (options.remoteSide ?? []).includes(referenced.key) : oneForeign;
      const pairDirection: RelationshipDirection = manyToOne ? "many-to-one" : "one-to-many";
      if (direction !== undefined && direction !== pairDirection) {
        throw new ArgumentError(`${this.path}: the primaryjoin's foreign keys point both ways; name them with foreignKeys`);
      }
      direction = pairDirection;
      oriented.push(manyToOne ? { local: foreign, remote: referenced } : { local: referenced, remote: foreign });
    }
    const join = direction as RelationshipDirection;
    const uselist = options.uselist ?? join !== "many-to-one";
    const pk = target.table.primaryKey;
    const useGet = join === "many-to-one" && !uselist && pk.length === oriented.length && pk.every((c) => oriented.some((p) => p.remote === c));
    return { target, direction: join, pairs: oriented, secondary: undefined, uselist, useGet };
  }

  #manyToMany(target: RelationshipMapper, parentTable: Table, secondaryName: string): RelationshipJoin {
    const secondary = parentTable.metadata.tables.get(secondaryName);
    if (!secondary) throw new ArgumentError(`${this.path}: secondary table "${secondaryName}" is not in the MetaData`);
    const { primaryjoin, secondaryjoin } = this.spec.options;
    if (primaryjoin !== undefined || secondaryjoin !== undefined) {
      if (primaryjoin === undefined || secondaryjoin === undefined) {
        throw new ArgumentError(`${this.path}: a many-to-many names both primaryjoin (parent ↔ ${secondaryName}) and secondaryjoin (${secondaryName} ↔ target), or neither`);
      }
      // parent.x = secondary.y: local the parent's column; secondary.z = target.w: local the association's.
      const pairs = joinEqualities(primaryjoin(), parentTable, secondary, this.path, "primaryjoin").map((e) => ({ local: e.one, remote: e.other }));
      const targetPairs = joinEqualities(secondaryjoin(), secondary, target.table, this.path, "secondaryjoin").map((e) => ({ local: e.one, remote: e.other }));
      return { target, direction: "many-to-many", pairs, secondary: { table: secondary, targetPairs }, uselist: this.spec.options.uselist ?? true, useGet: false };
    }
    const toParent = secondary.foreignKeys.filter((fk) => secondary.metadata.referencedTable(fk) === parentTable);
    const toTarget = secondary.foreignKeys.filter((fk) => secondary.metadata.referencedTable(fk) === target.table);
    const parentFk = this.#single(toParent, "many-to-many (parent side)");
    const targetFk = parentTable === target.table ? this.#single(toTarget.filter((f) => f !== parentFk), "many-to-many (target side)") : this.#single(toTarget, "many-to-many (target side)");
    const pairs = fkPairs(parentFk, secondary).map((p) => ({ local: p.referenced, remote: p.referencing }));
    const targetPairs = fkPairs(targetFk, secondary).map((p) => ({ local: p.referencing, remote: p.referenced }));
    return { target, direction: "many-to-many", pairs, secondary: { table: secondary, targetPairs }, uselist: this.spec.options.uselist ?? true, useGet: false };
  }

  #single(fks: readonly ForeignKeyConstraint[], what: string): ForeignKeyConstraint {
    if (fks.length === 1) return fks[0] as ForeignKeyConstraint;
    if (fks.length === 0) throw new ArgumentError(`Could not determine the join condition of relationship ${this.path} (${what}): no foreign key`);
    throw this.#ambiguous(`${fks.length} foreign keys qualify`, fks);
  }

  #ambiguous(why: string, candidates: readonly ForeignKeyConstraint[]): Error {
    const options = candidates.map((fk) => `{ foreignKeys: ${JSON.stringify(fk.columns)} }`).join(" or ");
    return new ArgumentError(
      `Could not determine the join condition of relationship ${this.path}: ${why}. ` +
        `Name the foreign key column(s) the relationship uses: relationship(..., ${options}).`,
    );
  }
}

/** The referencing column of `table` and the referenced column, for each column of `fk`. */
export function fkPairs(
  fk: ForeignKeyConstraint,
  table: Table,
): { readonly referencing: TableColumn<unknown>; readonly referenced: TableColumn<unknown> }[] {
  const referenced = table.metadata.referencedTable(fk);
  return fk.columns.map((key, i) => {
    const target = fk.targets[i] as string;
    const targetName = target.slice(target.lastIndexOf(".") + 1);
    const referencing = table.column(key);
    const referencedColumn = referenced.column(targetName);
    if (!referencing || !referencedColumn) throw new InvalidRequestError(`Foreign key ${fk.columns} → ${fk.targets} names an unknown column`);
    return { referencing, referenced: referencedColumn };
  });
}

function parseCascade(text: string | undefined, path: string): ReadonlySet<Cascade> {
  const names = (text ?? "save-update, merge").split(",").map((s) => s.trim()).filter(Boolean);
  const out = new Set<Cascade>();
  for (const name of names) {
    if (name === "all") ALL.forEach((c) => out.add(c));
    else if ((["save-update", "merge", "refresh-expire", "expunge", "delete", "delete-orphan"] as string[]).includes(name)) out.add(name as Cascade);
    else throw new ArgumentError(`${path}: unknown cascade "${name}"`);
  }
  if (out.has("delete-orphan") && !out.has("delete")) {
    throw new ArgumentError(`${path}: the delete-orphan cascade requires delete as well ("all, delete-orphan")`);
  }
  return out;
}
