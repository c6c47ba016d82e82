-- OpenITA schema version 12 (SQLite): each agency's own website (issue #15).
--
-- An absolute http(s) URL (service/agencies.hpp checked_agency), shown on the agency's public
-- OIT index page (/p/{agency}/oit/{year}) and in its static export. '' when unknown, which every
-- agency stored before this version is.
ALTER TABLE agencies ADD COLUMN website TEXT NOT NULL DEFAULT '';
