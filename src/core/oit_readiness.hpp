#pragma once
// The OIT readiness check's rules: what an agency's evidence page shows, judged before the
// assessors judge it. Pure: the fetching (net/) and the text extraction (io/document_text) hand
// their results in as FetchedPage values. A verdict is a prediction for the agency's officers,
// never a review: the assessor's pass/fail (core/oit_workflow.hpp) stays the only one that scores.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ita {

// Worst first: an item shows the first of these that applies to any of its pages.
enum class Readiness {
  NoEvidence,        // the item has no evidence URL yet
  Refused,           // not an http(s) URL, a URL with credentials, an internal address
  Unreachable,       // DNS, connection, TLS, timeout, too many redirects, a body cut short
  ErrorStatus,       // HTTP 4xx/5xx
  OutsideDomain,     // the page (after redirects) is not on the agency's website
  TooLarge,          // the body exceeds the size cap: nobody can check it
  TooLittleContent,  // too little text to show anything
  BeforeFiscalYear,  // only dates or years before the assessed fiscal year
  NoFiscalYear,      // no sign of the assessed fiscal year at all
  MissingKeywords,   // none of the item's required words
  LikelyFine,
};
std::string_view readiness_code(Readiness r);  // "likely_fine", "unreachable", …
std::optional<Readiness> parse_readiness(std::string_view code);

// Why a fetch produced no usable page (the net layer's error, in the domain's words).
enum class FetchFailure {
  None,
  Refused,
  Unreachable,
  Timeout,
  TooManyRedirects,
  Truncated,
  TooLarge
};

// One evidence URL as fetched.
struct FetchedPage {
  std::string url{};        // as the agency gave it
  std::string final_url{};  // after redirects ("" when never reached)
  FetchFailure failure = FetchFailure::None;
  int status = 0;      // the final HTTP status (0 when none)
  bool pdf = false;    // the body was a PDF (its text extracted)
  std::string text{};  // the page's visible text (HTML without markup, or the PDF's text)
};

// What the check knows of the item and the agency.
struct ReadinessRules {
  int fiscal_year = 0;                // BE, e.g. 2567 (1 Oct 2566 – 30 Sep 2567)
  std::string agency_domain;          // e.g. "kudpladuk.go.th" ("" when unknown: not checked)
  std::vector<std::string> keywords;  // any one of them must appear ([] when the edition has none)
  std::size_t min_characters = 200;   // of visible text, white space excluded
};

// One item's outcome: the verdict, the reason in Thai naming the URL it is about, and that URL.
struct ItemReadiness {
  Readiness verdict = Readiness::NoEvidence;
  std::string reason_th;
  std::string url;
};

// ---- The rules, each pure ----------------------------------------------------------------

// The host of a website or URL ("https://www.KudPladuk.go.th:8080/a" → "kudpladuk.go.th"):
// lower-cased, without user info, port, trailing dot or a leading "www."; a bare host
// ("www.kudpladuk.go.th/x") is read as one. "" when there is no host.
std::string agency_domain_of(std::string_view website_or_url);

// Whether the host of `url` is `domain` or one of its subdomains, on a label boundary:
// "https://www.kudpladuk.go.th/x" and "https://e.kudpladuk.go.th" are on "kudpladuk.go.th",
// "https://evil-kudpladuk.go.th" is not. False for an empty host or domain.
bool on_domain(std::string_view url, std::string_view domain);

// What a text shows of a fiscal year (BE). In the year: "ปีงบประมาณ (พ.ศ.) Y", "พ.ศ. Y", a bare
// year Y, a range of years covering Y ("2566-2570"), or a date in the year: a Thai month name,
// full or abbreviated, with its BE year (four digits, or two after a month: "15 ม.ค. 67"), or a
// numeric date "d/m/yyyy" or "yyyy-mm-dd" (BE, or CE as web systems print it). Before it: a fiscal
// year earlier than Y, a date before 1 October (Y-1), a year (bare or "พ.ศ.") up to Y-2 — a bare
// Y-1 says neither, its October–December being in the year. Later years say neither. Thai digits
// count as Arabic ones; white space between the parts (any, none, or inserted by PDF extraction)
// does not matter.
struct YearSigns {
  bool in_fiscal_year = false;
  bool before_fiscal_year = false;
  int latest_before = 0;  // the latest BE year among the before signs (0 when none)
};
YearSigns fiscal_year_signs(std::string_view text, int fiscal_year_be);

// The number of code points of UTF-8 `text` that are not white space (Unicode spaces, line
// breaks, and the zero-width space, joiners and byte-order mark Thai text often carries).
std::size_t visible_characters(std::string_view text);

// Whether any of `keywords` appears in `text`, both compared without white space (PDF
// extraction inserts spaces inside Thai words), Thai digits as Arabic ones, ASCII
// case-insensitively, and with a sara am
// split in two (nikhahit + sara aa, as some PDFs give it) read as one. Blank keywords never
// match; false for no keywords.
bool has_keyword(std::string_view text, const std::vector<std::string>& keywords);

// The item's verdict from the pages of its evidence URLs (in the order given): NoEvidence for
// none; otherwise the worst (first in Readiness) of each page's own verdict (fetch failure,
// status ≥ 400, outside rules.agency_domain when that is known, less visible text than
// rules.min_characters) and of the checks over all the pages' text together (fiscal year
// signs of rules.fiscal_year, rules.keywords). The reason names the URL it is about, in Thai,
// numbers in Arabic digits.
ItemReadiness classify_item(const std::vector<FetchedPage>& pages, const ReadinessRules& rules);

}  // namespace ita
