#pragma once
// The text of an evidence page as a reader sees it: an HTML page without its markup, a PDF's text
// read by poppler's pdftotext in a child process (an agency's PDF is untrusted input: it is never
// parsed inside the server). Used by the OIT readiness check (core/oit_readiness.hpp).
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ita::io {

// The visible text of an HTML document, UTF-8: markup, comments and the content of script,
// style, noscript and template elements dropped, entities decoded, block elements (paragraphs,
// headings, list items, table cells, <br> …) on lines of their own, runs of white space within a
// line collapsed. The encoding is the one a <meta charset> (or http-equiv Content-Type) names,
// TIS-620 and ISO-8859-11 read as windows-874; without one UTF-8, or windows-874 when the bytes
// are not UTF-8 (Thai pages of old CMSs). Never throws on malformed HTML; "" for no text.
std::string html_text(std::string_view html);

// Whether a response is a PDF: its Content-Type is application/pdf (or x-pdf), or its body
// starts, within its first 1024 bytes as readers allow, with the "%PDF-" header.
bool looks_like_pdf(std::string_view content_type, std::string_view body);

// The output cap of pdf_text: a longer text is cut there (at a character boundary).
inline constexpr std::size_t kMaxPdfText = 2 * 1024 * 1024;

// The text of a PDF, UTF-8, from `pdftotext - -` run as a child process (no shell) with
// `pdf_bytes` on its standard input. nullopt when pdftotext is missing, fails (not a PDF, a
// damaged one) or has not finished within `timeout` (it is then killed). At most kMaxPdfText
// bytes.
std::optional<std::string> pdf_text(std::string_view pdf_bytes, std::chrono::milliseconds timeout);

// Runs `argv` (argv[0] looked up in PATH; no shell) with `input` on its standard input and its
// standard error discarded, and returns its standard output if it exits with status 0 within
// `timeout`. The child is killed (SIGKILL) at the timeout (nullopt) or once its output passes
// `max_output` bytes (the first `max_output` bytes are returned). nullopt too when it cannot be
// started or exits otherwise. The child's address space is limited to 1 GiB. Never throws but
// std::bad_alloc.
std::optional<std::string> run_filter(const std::vector<std::string>& argv, std::string_view input,
                                      std::chrono::milliseconds timeout, std::size_t max_output);

}  // namespace ita::io
