import { InvalidRequestError } from "../../shared/errors.ts";
import type { LoaderStrategies, LoaderStrategy, StrategyName } from "./loader-strategy.ts";

let installed: LoaderStrategies | undefined;

/**
 * Installs the strategy registry (src/orm/strategies/registry.ts) for the layers below it, as
 * SQLAlchemy's `@strategy_for` fills `StrategizedProperty._all_strategies` from orm/strategies.py.
 * `declarativeBase()` does it, so it is done before any mapper exists.
 */
export function installLoaderStrategies(strategies: LoaderStrategies): void {
  installed = strategies;
}

/** The strategy registered under `name`. */
export function loaderStrategy<N extends StrategyName>(name: N): LoaderStrategy<N> {
  if (installed === undefined) throw new InvalidRequestError("internal: no loader strategies installed (declarativeBase() installs them)");
  return installed[name] as LoaderStrategy<N>;
}
