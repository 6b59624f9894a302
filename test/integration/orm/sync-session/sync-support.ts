import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";
import { type Engine, type MetaData, Session, createEngine, insert } from "../../../../src/index.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { postTags } from "../../../fixtures/loading-models/blog.ts";
import { BLOG_LINKS_AFTER, BLOG_POST_TAGS, blogGraphBatches } from "../../loading/loading-support.ts";

export { shape, shapes, summary, thrown } from "../../loading/loading-support.ts";

/** What a test of the synchronous Session works with: a fresh in-memory better-sqlite3 database and a recorder on it. */
export interface SyncContext {
  readonly engine: Engine;
  readonly recorder: StatementRecorder;
  /** The database's URL (a file's with `file: true`, which another engine can open to see what was committed). */
  readonly url: string;
}

/**
 * A fresh `sqlite://:memory:` synchronous engine per test, with `metadata`'s tables and `seed`'s
 * rows. `file: true` puts the database in a temporary file instead, so two sessions can hold
 * connections at once (an in-memory database has one connection).
 */
export function useSyncDatabase(metadata: MetaData, seed?: (session: Session) => void, options: { file?: boolean } = {}): SyncContext {
  const state = {} as { engine: Engine; recorder: StatementRecorder; url: string; directory?: string };
  beforeEach(() => {
    if (options.file === true) state.directory = mkdtempSync(join(tmpdir(), "tsa-sync-session-"));
    state.url = state.directory === undefined ? "sqlite://:memory:" : `sqlite:///${join(state.directory, "test.db")}`;
    state.engine = createEngine(state.url);
    metadata.createAll(state.engine);
    if (seed !== undefined) {
      using session = new Session(state.engine);
      seed(session);
      session.commit();
    }
    state.recorder = new StatementRecorder(state.engine);
  });
  afterEach(() => {
    state.recorder.stop();
    state.engine.dispose();
    if (state.directory !== undefined) rmSync(state.directory, { recursive: true, force: true });
    state.directory = undefined;
  });
  return state;
}

/**
 * The loading tests' blog graph (test/integration/loading/loading-support.ts `seedBlog`), written
 * by a synchronous Session: organizations 1 acme (users 1 ann, 2 bob), 2 globex (user 3 cid), 3
 * initech; user 4 dee without organization; posts 1, 2 by ann, 3 by bob, 4 by cid; tags 1 red
 * (posts 1, 2), 2 blue (posts 1, 4), 3 green; nodes 1 root → 2 a, 3 b; 2 a → 4 a1 → 5 a1x.
 */
export function seedBlogSync(session: Session): void {
  for (const [index, batch] of blogGraphBatches().entries()) {
    session.addAll(batch);
    session.flush();
    if (index === BLOG_LINKS_AFTER) session.connection().execute(insert(postTags).values(BLOG_POST_TAGS));
  }
}

export const ORG_COLUMNS = '"organizations"."id", "organizations"."name"';
export const USER_COLUMNS = '"users"."id", "users"."name", "users"."email", "users"."organization_id"';
export const POST_COLUMNS = '"posts"."id", "posts"."title", "posts"."user_id"';
