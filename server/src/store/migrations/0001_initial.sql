-- Mekaar's first PostgreSQL schema. Forward-only: a change is a new file
-- (0002_…) appended to MIGRATIONS in store/postgres.rs, never an edit here.
--
-- Keys and values are the bytes the sled engine stores (JSON, sealed where
-- the table is sealed); bytea compares bytewise, as sled orders its keys, so
-- range and prefix scans return the same order.

-- Record tables (store::Table), one per tree_name().
CREATE TABLE "communities" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "initiatives" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "server_tokens" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "audit" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "webhook_outbox" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "webhook_log" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "polls" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "poll_join_codes" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "poll_networks" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "vote_codes" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "poll_ids" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "server_secrets" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "sessions" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "photos" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "threads" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "reactions" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "reaction_threads" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "reaction_authors" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "meetings" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "mail_outbox" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "mail_subscriptions" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "mail_tokens" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "mail_digests" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "mail_manage" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "mail_stats" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE "initiative_codes" (key bytea PRIMARY KEY, value bytea NOT NULL);

-- Counted sets (store::CountedSet): members, and a count per group changed in
-- the same transaction as its member (the count row is locked first), so a
-- count equals its members, also with several nodes. The primary key on
-- (grp, member) IS the rule that a member counts once per group.
-- supports: one support per initiative and voter hash.
CREATE TABLE "supports" (grp bytea, member bytea, value bytea NOT NULL, PRIMARY KEY (grp, member));
CREATE TABLE "supports_count" (grp bytea PRIMARY KEY, n bigint NOT NULL CHECK (n >= 0));
-- joins: one join per initiative and voter hash.
CREATE TABLE "joins" (grp bytea, member bytea, value bytea NOT NULL, PRIMARY KEY (grp, member));
CREATE TABLE "joins_count" (grp bytea PRIMARY KEY, n bigint NOT NULL CHECK (n >= 0));
-- reports: one report per initiative and voter hash.
CREATE TABLE "reports" (grp bytea, member bytea, value bytea NOT NULL, PRIMARY KEY (grp, member));
CREATE TABLE "reports_count" (grp bytea PRIMARY KEY, n bigint NOT NULL CHECK (n >= 0));
-- votes: one vote per poll round and voter hash (or vote code).
CREATE TABLE "votes" (grp bytea, member bytea, value bytea NOT NULL, PRIMARY KEY (grp, member));
CREATE TABLE "votes_count" (grp bytea PRIMARY KEY, n bigint NOT NULL CHECK (n >= 0));
-- agrees: one "eens" per reaction and voter hash.
CREATE TABLE "agrees" (grp bytea, member bytea, value bytea NOT NULL, PRIMARY KEY (grp, member));
CREATE TABLE "agrees_count" (grp bytea PRIMARY KEY, n bigint NOT NULL CHECK (n >= 0));
-- reaction_reports: one report per reaction and voter hash.
CREATE TABLE "reaction_reports" (grp bytea, member bytea, value bytea NOT NULL, PRIMARY KEY (grp, member));
CREATE TABLE "reaction_reports_count" (grp bytea PRIMARY KEY, n bigint NOT NULL CHECK (n >= 0));
-- published_reactions: a published reaction counted once in its thread.
CREATE TABLE "published_reactions" (grp bytea, member bytea, value bytea NOT NULL, PRIMARY KEY (grp, member));
CREATE TABLE "published_reactions_count" (grp bytea PRIMARY KEY, n bigint NOT NULL CHECK (n >= 0));
-- attendees: one "ik kom" per meeting and voter hash.
CREATE TABLE "attendees" (grp bytea, member bytea, value bytea NOT NULL, PRIMARY KEY (grp, member));
CREATE TABLE "attendees_count" (grp bytea PRIMARY KEY, n bigint NOT NULL CHECK (n >= 0));

-- The keys of sealed records (store::keyring): a key is committed before the
-- record that uses it; erasure deletes the others and rewrites this table
-- (VACUUM FULL), so erased records' older versions can no longer be opened.
CREATE TABLE record_keys (id bytea PRIMARY KEY, key bytea NOT NULL);
