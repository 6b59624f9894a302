/** A `synonym()` declaration: another name for the attribute `N` of the same model. */
export class SynonymSpec<N extends string> {
  readonly kind = "synonym";
  readonly name: N;

  constructor(name: N) {
    this.name = name;
    Object.freeze(this);
  }
}

/**
 * Another name for an attribute of the same model (SQLAlchemy's `synonym`): on instances it reads
 * and writes the attribute, on the class it is the attribute's expression, typed as it.
 *
 * ```ts
 * class User extends Base.model("users", {
 *   id: mappedColumn(Integer, { primaryKey: true }),
 *   name: mappedColumn(StringType(30), { nullable: false }),
 *   username: synonym("name"),
 * }) {}
 * user.username = "ann";                        // sets user.name
 * select(User).where(User.username.eq("ann"))   // WHERE "users"."name" = ?
 * ```
 */
export function synonym<const N extends string>(name: N): SynonymSpec<N> {
  return new SynonymSpec(name);
}
