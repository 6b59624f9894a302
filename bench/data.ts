/**
 * The benchmark data set, deterministic (seeded PRNG): 1,000 organizations, 10,000 users (10 per
 * organization), 50,000 posts (5 per user, bodies of 20–40 words).
 *
 * `BENCH_SCALE` (1–10, run.mjs `--scale`) multiplies the users per organization, to show how a
 * workload's cost grows with rows: at 10, W1 reads 100,000 users. Posts stay on the first 10,000
 * users (W4 reads no others at any scale), so seeding stays small; ids above 100,000 stay free for
 * W6 and W8.
 */
export const SCALE = scaleFromEnvironment();
export const ORGANIZATIONS = 1_000;
export const USERS_PER_ORGANIZATION = 10 * SCALE;
export const POSTS_PER_USER = 5;
export const USERS = ORGANIZATIONS * USERS_PER_ORGANIZATION;
/** Users with posts: the first 10,000. */
export const USERS_WITH_POSTS = 10_000;
export const POSTS = USERS_WITH_POSTS * POSTS_PER_USER;

function scaleFromEnvironment(): number {
  const value = process.env.BENCH_SCALE ?? "1";
  const scale = Number(value);
  if (!Number.isInteger(scale) || scale < 1 || scale > 10) throw new Error(`BENCH_SCALE: an integer from 1 to 10 (got ${value})`);
  return scale;
}

const WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega".split(" ");

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Rows {
  organizations: [number, string][];
  users: [number, string, string, number][];
  posts: [number, number, string, string][];
}

export function generate(): Rows {
  const random = mulberry32(20261203);
  const organizations: Rows["organizations"] = [];
  const users: Rows["users"] = [];
  const posts: Rows["posts"] = [];
  for (let o = 1; o <= ORGANIZATIONS; o++) organizations.push([o, `Organization ${o}`]);
  for (let u = 1; u <= USERS; u++) {
    const organizationId = Math.floor((u - 1) / USERS_PER_ORGANIZATION) + 1;
    users.push([u, `User ${u}`, `user${u}@example.com`, organizationId]);
  }
  for (let p = 1; p <= POSTS; p++) {
    const userId = Math.floor((p - 1) / POSTS_PER_USER) + 1;
    const words = 20 + Math.floor(random() * 21);
    const body = Array.from({ length: words }, () => WORDS[Math.floor(random() * WORDS.length)]).join(" ");
    posts.push([p, userId, `Post ${p}`, body]);
  }
  return { organizations, users, posts };
}

export const DDL = [
  "CREATE TABLE organizations (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL)",
  "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(200) NOT NULL, organization_id INTEGER NOT NULL REFERENCES organizations (id))",
  "CREATE INDEX ix_users_organization_id ON users (organization_id)",
  "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), title VARCHAR(200) NOT NULL, body TEXT NOT NULL)",
  "CREATE INDEX ix_posts_user_id ON posts (user_id)",
];
