// Writes the README's quickstarts, verbatim, as TypeScript files of the consumer app:
// each ```ts block that follows a `<!-- consumer-check: NAME -->` marker becomes NAME.ts.
//   node extract-quickstarts.mjs README.md DEST_DIR NAME...
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [readme, destination, ...names] = process.argv.slice(2);
const text = readFileSync(readme, "utf8");
const blocks = new Map();
for (const match of text.matchAll(/<!-- consumer-check: ([a-z0-9-]+) -->\r?\n```ts\r?\n([\s\S]*?)```/g)) {
  blocks.set(match[1], match[2]);
}
for (const name of names) {
  const code = blocks.get(name);
  if (code === undefined) {
    console.error(`extract-quickstarts: no block marked "consumer-check: ${name}" in ${readme}`);
    process.exit(1);
  }
  writeFileSync(join(destination, `${name}.ts`), code);
}
console.log(`extract-quickstarts: ${names.join(", ")}`);
