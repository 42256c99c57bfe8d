-- A poll's totals without reading every vote (issue 17, several nodes): how
-- many votes of each group (poll round) have each value (the sorted
-- choices), changed in the vote's transaction. Existing votes counted now.
CREATE TABLE "votes_by_value" (
  grp bytea,
  value bytea,
  n bigint NOT NULL CHECK (n >= 0),
  PRIMARY KEY (grp, value)
);
INSERT INTO "votes_by_value" (grp, value, n)
  SELECT grp, value, count(*) FROM "votes" GROUP BY grp, value;
