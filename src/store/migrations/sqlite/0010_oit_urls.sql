-- OpenITA schema version 10 (SQLite): several evidence URLs per OIT item (issue #14).
--
-- url keeps the first URL, so every reader of url (exports, the national dataset) keeps
-- working; more_urls holds the further ones (up to 9), one a line in the agency's order (an
-- evidence URL has no white space: core/oit_workflow.hpp is_evidence_url). '' for an item with
-- one URL, which every row stored before this version is.
ALTER TABLE oit_entries ADD COLUMN more_urls TEXT NOT NULL DEFAULT '';
