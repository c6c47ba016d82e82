-- OpenITA schema version 9 (SQLite): releases of an open round's figures (README, "No
-- differencing"; service/release.hpp).
--
-- While a round is open, pages, the API, exports and documents show the figures of its last
-- release, not of the answers of the moment; a new release is taken only when IIT and EIT each
-- have at least --min-respondents more respondents than this one covers, so no two releases
-- differ by one person's answers. One row per round, replaced by the next release.
-- result_json: the result at full precision (io/result_snapshot.hpp, "ita-release/1").
-- released_on: the day in Thailand it was taken, "YYYY-MM-DD" (text, as responses.day).
CREATE TABLE result_releases (
  round_id        INTEGER PRIMARY KEY REFERENCES rounds (id),
  respondents_iit INTEGER NOT NULL CONSTRAINT release_iit_count CHECK (respondents_iit >= 0),
  respondents_eit INTEGER NOT NULL CONSTRAINT release_eit_count CHECK (respondents_eit >= 0),
  result_json     TEXT NOT NULL CONSTRAINT release_result_given CHECK (result_json <> ''),
  released_on     TEXT NOT NULL
    CONSTRAINT release_day_is_a_date
    CHECK (length(released_on) = 10 AND
           released_on GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]')
);
