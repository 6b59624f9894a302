/**
 * Turns one bound value into what PostgreSQL reads in text format, the same way for the pg and
 * PGlite drivers so both send the server identical input. The dialect has already applied the
 * column types' bind processing; this only covers JavaScript values that reach the driver as is.
 * Bytes go as a Buffer (`"buffer"`, pg sends it in binary format) or as bytea hex text (`"hex"`).
 */
export function toPostgresParam(value: unknown, bytes: "buffer" | "hex"): string | Buffer | null {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "string":
      return value;
    case "number":
    case "bigint":
      return String(value);
    case "boolean":
      return value ? "true" : "false";
  }
  if (value instanceof Uint8Array) {
    const buffer = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return bytes === "buffer" ? buffer : `\\x${buffer.toString("hex")}`;
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return toArrayLiteral(value);
  return JSON.stringify(value);
}

/** A PostgreSQL array literal (`{1,"a b",NULL}`); every element quoted, so no escaping rules differ by type. */
function toArrayLiteral(values: readonly unknown[]): string {
  const elements = values.map((element) => {
    if (element === null || element === undefined) return "NULL";
    if (Array.isArray(element)) return toArrayLiteral(element);
    const text = toPostgresParam(element, "hex") as string;
    return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  });
  return `{${elements.join(",")}}`;
}
