import type { LoaderStrategies } from "../loading/loader-strategy.ts";
import { ContainsEagerLoader } from "./contains-eager.ts";
import { ImmediateLoader } from "./immediate.ts";
import { JoinedLoader } from "./joined.ts";
import { NoLoader } from "./noload.ts";
import { RaiseOnSqlLoader } from "./raise-on-sql.ts";
import { RaiseLoader } from "./raise.ts";
import { SelectInLoader } from "./selectin.ts";
import { LazyLoader } from "./select.ts";
import { SubqueryLoader } from "./subquery.ts";
import { WriteOnlyLoader } from "./write-only.ts";

/**
 * Every loader strategy by name (SQLAlchemy's `@strategy_for(lazy=…)` registrations, as one
 * table): typed over `StrategyName`, so a strategy added to the union and not here, or filed
 * under another name, does not compile. `declarativeBase()` installs it for the layers below.
 */
export const LOADER_STRATEGIES: LoaderStrategies = Object.freeze({
  select: new LazyLoader(),
  joined: new JoinedLoader(),
  selectin: new SelectInLoader(),
  subquery: new SubqueryLoader(),
  immediate: new ImmediateLoader(),
  raise: new RaiseLoader(),
  raise_on_sql: new RaiseOnSqlLoader(),
  noload: new NoLoader(),
  write_only: new WriteOnlyLoader(),
  contains_eager: new ContainsEagerLoader(),
});
