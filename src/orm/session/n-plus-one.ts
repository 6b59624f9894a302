import { NPlusOneError } from "../../shared/errors.ts";

/** One relationship loaded one parent at a time, `count` times in the current transaction. */
export interface NPlusOneReport {
  /** `User.organization`. */
  readonly attribute: string;
  readonly count: number;
  /** The option that loads it for every parent in one or two statements. */
  readonly fix: string;
  readonly message: string;
}

/** `detectNPlusOne`: report after `threshold` single-parent loads of one relationship (default 10). */
export interface NPlusOneOptions {
  readonly threshold?: number;
  /** "warn" (default): a process warning; "raise": `NPlusOneError`; a function: called with the report. */
  readonly onDetect?: "warn" | "raise" | ((report: NPlusOneReport) => void);
}

/**
 * Counts the relationship loads that ran one parent at a time (awaitableAttrs, refresh of a
 * relationship) per relationship, and reports a relationship once when it reaches the threshold.
 * Counts start again with each transaction.
 */
export class NPlusOneDetector {
  readonly #threshold: number;
  readonly #onDetect: NonNullable<NPlusOneOptions["onDetect"]>;
  readonly #counts = new Map<string, number>();

  constructor(options: NPlusOneOptions) {
    this.#threshold = options.threshold ?? 10;
    this.#onDetect = options.onDetect ?? "warn";
  }

  /** Records one single-parent load of `attribute` (`User.organization`). */
  record(attribute: string): void {
    const count = (this.#counts.get(attribute) ?? 0) + 1;
    this.#counts.set(attribute, count);
    if (count !== this.#threshold) return;
    const [className] = attribute.split(".") as [string];
    const fix = `select(${className}).options(selectinload(${attribute}))`;
    const message =
      `N+1 loading: ${attribute} was loaded one parent at a time ${count} times in this transaction. ` +
      `Load it for all parents at once with ${fix} (one extra statement per 500 parents).`;
    const report: NPlusOneReport = { attribute, count, fix, message };
    if (this.#onDetect === "raise") throw new NPlusOneError(message);
    if (this.#onDetect === "warn") process.emitWarning(message, { type: "NPlusOneWarning", code: "TSALCHEMY_N_PLUS_ONE" });
    else this.#onDetect(report);
  }

  reset(): void {
    this.#counts.clear();
  }
}
