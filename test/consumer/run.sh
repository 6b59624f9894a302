#!/usr/bin/env bash
# The consumer check: what users install is what we test. Packs tsalchemy as npm would publish
# it, checks the tarball holds no tests, benchmarks or CI files, then installs it into fresh
# applications with one driver each and runs them:
#   sqlite app (tsalchemy + better-sqlite3 only)
#     a. app.mjs, plain JavaScript with Node.js alone; app.cjs through require()
#     b. app.ts built by tsc --strict (nodenext, exactOptionalPropertyTypes, no skipLibCheck),
#        type-checked again with moduleResolution bundler, then run from its output
#     c. the README's SQLite quickstarts, verbatim, built the same way and run
#     d. a PostgreSQL URL without pg installed fails with the error naming `npm install pg`
#     e. the `tsalchemy` CLI: init, revision --autogenerate, upgrade head, current, check (clean,
#        then non-zero after a model change), erd (Mermaid, and SVG with @hpcc-js/wasm-graphviz);
#        tsx loads the .ts revision files on Node < 22.18
#   postgresql app (tsalchemy + pg only)
#     c. the README's PostgreSQL quickstart, verbatim, built and run (needs the server of
#        TEST_PG_URL on 127.0.0.1:5432, as in the README; without TEST_PG_URL it is only built)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

step() { printf '\n--> consumer: %s\n' "$*"; }
fail() {
  printf 'consumer check FAILED: %s\n' "$*" >&2
  exit 1
}
version_of() { node -p "require('$root/node_modules/$1/package.json').version"; }
npm_install() { npm install --no-audit --no-fund --prefer-offline --loglevel=error "$@"; }

step "npm pack"
tarball="$work/$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -n 1)"
[[ -f "$tarball" ]] || fail "npm pack produced no tarball"
contents=$(tar -tzf "$tarball")
unwanted=$(grep -E '^package/(test|bench|\.ci|src|scripts|examples|\.tmp)/' <<<"$contents" || true)
[[ -z "$unwanted" ]] || fail "the tarball ships files a user does not need:
$unwanted"
for required in package/dist/index.js package/dist/index.d.ts package/README.md package/LICENSE; do
  grep -qx "$required" <<<"$contents" || fail "the tarball lacks $required"
done
echo "$(wc -l <<<"$contents") files in $(basename "$tarball"); no test, bench or CI files"

typescript="typescript@$(version_of typescript)"
types_node="@types/node@$(version_of @types/node)"

new_app() {
  local dir="$work/$1"
  mkdir -p "$dir"
  printf '{ "name": "%s", "private": true, "type": "module" }\n' "$1" >"$dir/package.json"
  echo "$dir"
}

step "sqlite app: npm install <tarball> better-sqlite3 (and typescript to build the TypeScript app)"
app=$(new_app consumer-sqlite)
cp "$here/app.mjs" "$here/app.cjs" "$here/app.ts" "$here/missing-driver.mjs" "$here"/tsconfig.*.json "$app/"
node "$here/extract-quickstarts.mjs" "$root/README.md" "$app" quickstart-orm-sqlite quickstart-sync-session quickstart-core
(cd "$app" && npm_install "$tarball" "better-sqlite3@$(version_of better-sqlite3)" "$typescript" "$types_node")
for driver in pg mysql2 @electric-sql/pglite; do
  [[ ! -e "$app/node_modules/$driver" ]] || fail "$driver was installed although the app asked only for better-sqlite3"
done
cd "$app"
step "a. node app.mjs, node app.cjs"
node app.mjs
node app.cjs
step "b/c. tsc (nodenext, strict, exactOptionalPropertyTypes, skipLibCheck false), then bundler resolution"
npx tsc -p tsconfig.nodenext.json
npx tsc -p tsconfig.bundler.json
node out/app.js
step "c. README quickstarts (SQLite), as written"
node out/quickstart-orm-sqlite.js
node out/quickstart-sync-session.js
node out/quickstart-core.js
step "d. a missing driver names the package to install"
node missing-driver.mjs

step "e. the tsalchemy CLI (migrations): init, revision --autogenerate, upgrade head, current, check"
npm_install "tsx@$(version_of tsx)"
cat >models.mjs <<'EOF'
import { Column, Integer, MetaData, StringType, Table } from "tsalchemy";
export const metadata = new MetaData();
new Table("notes", metadata, { id: Column(Integer, { primaryKey: true }), body: Column(StringType(200)) });
EOF
npx tsalchemy init --url sqlite:///cli.db --metadata ./models.mjs
npx tsalchemy revision -m "create notes" --autogenerate
npx tsalchemy upgrade head
[[ "$(npx tsalchemy current)" == "$(basename migrations/*_create_notes.ts | cut -d_ -f1)" ]] || fail "tsalchemy current does not name the revision upgraded to"
npx tsalchemy check || fail "tsalchemy check found differences right after upgrade head"
sed -i 's/body: Column(StringType(200))/body: Column(StringType(200)), done: Column(Integer)/' models.mjs
if npx tsalchemy check >/dev/null; then fail "tsalchemy check exited 0 although a model gained a column"; fi
npx tsalchemy erd | grep -qx "  notes {" || fail "tsalchemy erd printed no Mermaid entity for the notes table"
npm_install "@hpcc-js/wasm-graphviz@$(version_of @hpcc-js/wasm-graphviz)"
npx tsalchemy erd --format svg --out schema.svg
grep -q "<svg" schema.svg || fail "tsalchemy erd --format svg wrote no SVG"

step "postgresql app: npm install <tarball> pg"
app=$(new_app consumer-postgresql)
cp "$here/tsconfig.nodenext.json" "$app/"
node "$here/extract-quickstarts.mjs" "$root/README.md" "$app" quickstart-postgresql
(cd "$app" && npm_install "$tarball" "pg@$(version_of pg)" "$typescript" "$types_node")
cd "$app"
npx tsc -p tsconfig.nodenext.json
if [[ -n "${TEST_PG_URL:-}" ]]; then
  step "c. README quickstart (PostgreSQL), as written"
  node out/quickstart-postgresql.js
else
  echo "TEST_PG_URL is not set: the PostgreSQL quickstart was built, not run"
fi

printf '\nconsumer check: ok\n'
