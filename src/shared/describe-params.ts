/**
 * Statement parameters as a reader wants them, in error messages and the engine's log: JSON,
 * bigints and byte arrays spelled out, dates in ISO form, long strings and long lists cut short
 * (as SQLAlchemy's `[parameters: …]`).
 */
export function describeParams(params: readonly unknown[]): string {
  const shown = params.slice(0, 10).map(describeValue).join(", ");
  return `[${shown}${params.length > 10 ? `, … ${params.length - 10} more` : ""}]`;
}

function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (value instanceof Date) return value.toISOString();
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
