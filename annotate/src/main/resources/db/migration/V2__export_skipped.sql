-- Traffic items an export could not turn into a record the build applies (issue #14): counted and
-- named, never dropped silently. skipped_items: "item url: reason; ..." (empty when none).
ALTER TABLE exports ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;
ALTER TABLE exports ADD COLUMN skipped_items TEXT NOT NULL DEFAULT '';
