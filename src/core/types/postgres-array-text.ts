/**
 * PostgreSQL's array text form, both ways: `{"a","b\"c",NULL}`, nested for more dimensions.
 * Values are written quoted (backslash and double quote escaped), so no element text can end an
 * element or the array early; NULL is written bare.
 */
export function formatPostgresArray(value: readonly unknown[], item: (element: unknown) => unknown): string {
  const parts = value.map((element) => {
    if (element === null || element === undefined) return "NULL";
    if (Array.isArray(element)) return formatPostgresArray(element, item);
    const processed = item(element);
    if (processed === null || processed === undefined) return "NULL";
    const text = processed instanceof Uint8Array ? `\\x${Buffer.from(processed).toString("hex")}` : String(processed);
    return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  });
  return `{${parts.join(",")}}`;
}

/**
 * Reads the server's text output of an array (`{1,2,NULL}`, `{"x y","z"}`, `{{1,2},{3,4}}`,
 * `[0:1]={…}` with explicit bounds), each non-NULL element through `item`.
 */
export function parsePostgresArray(text: string, item: (element: string) => unknown): unknown[] {
  let i = text.startsWith("[") ? text.indexOf("=") + 1 : 0;
  const parseArray = (): unknown[] => {
    i++; // "{"
    const out: unknown[] = [];
    if (text[i] === "}") {
      i++;
      return out;
    }
    for (;;) {
      if (text[i] === "{") {
        out.push(parseArray());
      } else if (text[i] === '"') {
        i++;
        let element = "";
        while (text[i] !== '"') {
          if (text[i] === "\\") i++;
          element += text[i];
          i++;
        }
        i++;
        out.push(item(element));
      } else {
        const start = i;
        while (text[i] !== "," && text[i] !== "}") i++;
        const raw = text.slice(start, i);
        out.push(raw === "NULL" ? null : item(raw));
      }
      if (text[i] === ",") {
        i++;
        continue;
      }
      i++; // "}"
      return out;
    }
  };
  return parseArray();
}
