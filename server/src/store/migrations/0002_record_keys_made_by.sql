-- Several nodes on one database (issue 17): a node rewriting the keyring
-- sees which keys it made itself (its writes in flight wait for the
-- rewrite) and spares the keys other nodes made in the last minute, whose
-- records may not be committed yet.
ALTER TABLE record_keys ADD COLUMN made_by text NOT NULL DEFAULT '';
ALTER TABLE record_keys ADD COLUMN made_at timestamptz NOT NULL DEFAULT now();
