#include "web/app.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <ctime>
#include <set>

#include "core/error.hpp"
#include "core/survey.hpp"
#include "core/thai.hpp"
#include "web/views.hpp"

namespace ita::web {

namespace {

constexpr const char* kSessionCookie = "ita_session";
constexpr const char* kCsrfCookie = "ita_csrf";

std::string bearer(const Request& r) {
  const std::string h = r.header("authorization");
  return h.starts_with("Bearer ") ? h.substr(7) : "";
}

// Text reaches the handlers only as UTF-8: a percent-decoded path, query or form field with other
// bytes (a page saved as TIS-620, a fuzzer) is refused before anything can store or echo it.
// JSON bodies are checked by the JSON parser.
void require_utf8(const Request& r) {
  auto bad = [](const std::string& s) { return first_invalid_utf8(s).has_value(); };
  bool invalid = bad(r.path);
  for (const auto& [k, v] : r.query) invalid = invalid || bad(k) || bad(v);
  if (!invalid && r.header("content-type").starts_with("application/x-www-form-urlencoded")) {
    for (const auto& [k, v] : r.form()) invalid = invalid || bad(k) || bad(v);
  }
  if (invalid) throw HttpError(400, "ข้อความที่ส่งมาไม่ใช่ UTF-8 (the request's text must be UTF-8)");
}

}  // namespace

std::string today_in_thailand() {
  const auto now = std::chrono::system_clock::now() + std::chrono::hours(7);
  const auto day = std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(now)};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
                static_cast<unsigned>(day.day()));
  return buf;
}

std::vector<ToolId> small_groups(const std::map<ToolId, std::size_t>& respondents,
                                 std::size_t min) {
  std::vector<ToolId> out;
  for (const auto& [tool, n] : respondents) {
    if (tool != ToolId::OIT && n > 0 && n < min) out.push_back(tool);
  }
  return out;
}

Result without_small_group_items(Result r, std::size_t min) {
  const auto small = small_groups(r.respondents, min);
  std::erase_if(
      r.items, [&](const ItemScore& i) { return std::ranges::find(small, i.tool) != small.end(); });
  return r;
}

std::vector<std::string> small_group_notes(const std::map<ToolId, std::size_t>& respondents,
                                           std::size_t min) {
  std::vector<std::string> out;
  for (const ToolId t : small_groups(respondents, min)) {
    out.push_back("ไม่แสดงคะแนนรายข้อและคำตอบดิบของแบบวัด " + std::string(tool_code(t)) +
                  " เพราะมีผู้ตอบ " + std::to_string(respondents.at(t)) + " คน (น้อยกว่า " +
                  std::to_string(min) + " คน) เพื่อไม่ให้ระบุได้ว่าใครตอบอย่างไร");
  }
  return out;
}

std::int64_t path_id(const Request& r, const char* name, const std::string& what_th) {
  const std::string& s = r.params.at(name);
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) throw HttpError(404, "ไม่พบ" + what_th + " \"" + s + "\"");
  return v;
}

std::string App::client_address(const Request& r) const {
  const auto& proxies = options_.trusted_proxies;
  if (std::find(proxies.begin(), proxies.end(), r.remote_ip) == proxies.end()) return r.remote_ip;
  // nginx's $proxy_add_x_forwarded_for appends the address it saw last: the one it vouches for.
  const std::string forwarded = r.header("x-forwarded-for");
  const auto comma = forwarded.rfind(',');
  std::string last = comma == std::string::npos ? forwarded : forwarded.substr(comma + 1);
  last.erase(0, last.find_first_not_of(' '));
  last.erase(last.find_last_not_of(' ') + 1);
  return last.empty() ? r.remote_ip : last;
}

nlohmann::json json_body(const Request& r) {
  return json_body(r.body);
}

nlohmann::json json_body(const std::string& body) {
  using nlohmann::json;
  std::vector<std::set<std::string>> keys;  // per open object
  const json::parser_callback_t no_duplicates = [&keys](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) keys.emplace_back();
    if (event == json::parse_event_t::object_end) keys.pop_back();
    if (event == json::parse_event_t::key && !keys.back().insert(parsed.get<std::string>()).second) {
      throw HttpError(400, "malformed JSON: the key \"" + parsed.get<std::string>() + "\" is given twice in one object");
    }
    return true;
  };
  json j;
  try {
    j = json::parse(body, no_duplicates);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for a number overflow
    throw HttpError(400, std::string("malformed JSON: ") + e.what());
  }
  if (!j.is_object()) throw HttpError(400, "the request body must be a JSON object");
  return j;
}

bool blank(const std::string& s) {
  // Besides ASCII white space, the invisible characters a pasted Thai name may carry: no-break
  // and typographic spaces (U+00A0, U+2000-200A, U+202F, U+205F, U+3000), zero-width space and
  // joiners (U+200B-200D), word joiner (U+2060) and the byte order mark (U+FEFF).
  static constexpr std::string_view kInvisible[] = {
      "\u00a0", "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005",
      "\u2006", "\u2007", "\u2008", "\u2009", "\u200a", "\u200b", "\u200c",
      "\u200d", "\u202f", "\u205f", "\u2060", "\u3000", "\ufeff"};
  std::string_view rest = s;
  while (!rest.empty()) {
    if (rest.front() == ' ' || rest.front() == '\t' || rest.front() == '\r' ||
        rest.front() == '\n') {
      rest.remove_prefix(1);
      continue;
    }
    const auto* hit =
        std::ranges::find_if(kInvisible, [&](std::string_view c) { return rest.starts_with(c); });
    if (hit == std::end(kInvisible)) return false;
    rest.remove_prefix(hit->size());
  }
  return true;
}

RoundScore score_round(store::Store& store, const Edition& e, const store::Round& round) {
  RoundScore out;
  AnswerTally tally(e);
  try {
    store.for_each_answer(round.id, [&](const store::AnswerRow& row) {
      tally.add(row.tool, row.response_id, row.unit, row.option);
    });
  } catch (const InputError& err) {
    out.missing.push_back("คำตอบที่บันทึกไว้ไม่ตรงกับชุดเกณฑ์: " + std::string(err.what()));
    return out;
  }
  std::string unjudged;
  std::map<std::string, bool> verdicts;
  for (const auto& entry : store.oit_entries(round.id)) {
    if (auto v = entry.effective_verdict()) verdicts[entry.item] = *v;
  }
  for (const auto& item : e.oit.items) {
    auto it = verdicts.find(item.code);
    if (it == verdicts.end()) {
      unjudged += (unjudged.empty() ? "" : ", ") + item.code;
    } else {
      tally.add_oit(item.code, it->second);
    }
  }
  if (tally.respondents(ToolId::IIT) == 0) out.missing.push_back("ยังไม่มีผู้ตอบแบบวัด IIT");
  if (tally.respondents(ToolId::EIT) == 0) out.missing.push_back("ยังไม่มีผู้ตอบแบบวัด EIT");
  if (!unjudged.empty()) out.missing.push_back("ข้อ OIT ที่ยังไม่ได้พิจารณา: " + unjudged);
  if (!out.missing.empty()) return out;
  try {
    out.result = score(e, tally);
  } catch (const InputError& err) {
    out.missing.push_back(err.what());
  }
  return out;
}

App::App(store::Store& store, const io::EditionSet& editions, AppOptions options)
    : store_(store), editions_(store, editions), options_(std::move(options)) {
  init_crypto();
  add_routes();
  // The group-commit writer gets its own connection when it can open one, so that a batch being
  // written holds up neither the reads of the request threads nor the other way round.
  if (!options_.db_url.empty()) {
    writer_ = std::make_unique<store::SubmissionWriter>(
        store::open_store(options_.db_url, store::StoreOptions{.continuous_writes = true}),
        options_.writer);
  } else {
    writer_ = std::make_unique<store::SubmissionWriter>(store_, options_.writer);
  }
}

App::~App() {
  stop_submissions();
}

void App::stop_submissions() {
  if (writer_) writer_->stop();
}

store::SubmissionWriter::Stats App::submission_stats() const {
  return writer_->stats();
}

void App::add_routes() {
  auto on = [this](const char* method, const char* pattern, Response (App::*fn)(Request&)) {
    router_.add(method, pattern, [this, fn](Request& r) { return (this->*fn)(r); });
  };
  on("GET", "/", &App::home);
  on("GET", "/login", &App::login_form);
  on("POST", "/login", &App::login);
  on("POST", "/logout", &App::logout);
  on("POST", "/agencies", &App::create_agency_form);
  on("GET", "/agencies/{id}", &App::agency_page);
  on("POST", "/agencies/{id}/rounds", &App::create_round_form);
  on("GET", "/rounds/{id}", &App::round_page);
  on("GET", "/rounds/{id}/qr/{file}", &App::qr);
  on("POST", "/rounds/{id}/codes", &App::issue_codes);
  on("GET", "/rounds/{id}/oit", &App::oit_page);
  for (const char* action : {"evidence", "review", "appeal", "confirm"}) {
    const std::string a = action;
    router_.add("POST", a == "evidence" ? "/rounds/{id}/oit/{item}" : "/rounds/{id}/oit/{item}/" + a,
                [this, a](Request& r) { return oit_action(r, a); });
    router_.add(a == "evidence" ? "PUT" : "POST", a == "evidence" ? "/api/v1/rounds/{id}/oit/{item}" : "/api/v1/rounds/{id}/oit/{item}/" + a,
                [this, a](Request& r) { return api_oit(r, a); });
  }
  on("GET", "/rounds/{id}/result", &App::result_page);
  on("GET", "/rounds/{id}/report/{file}", &App::report_download);
  add_tracker_routes();
  add_export_routes();
  add_dashboard_routes();
  add_edition_routes();
  on("GET", "/audit", &App::audit_page);
  on("GET", "/static/{file}", &App::static_asset);
  on("GET", "/s/{token}", &App::survey_form);
  on("POST", "/s/{token}", &App::survey_submit);
  on("POST", "/api/v1/agencies", &App::api_create_agency);
  on("POST", "/api/v1/rounds", &App::api_create_round);
  on("GET", "/api/v1/rounds/{id}", &App::api_round);
  on("POST", "/api/v1/rounds/{id}/responses/{tool}", &App::api_submit);
  on("GET", "/api/v1/rounds/{id}/result", &App::api_result);
  on("GET", "/api/v1/editions", &App::api_editions);
  router_.add("GET", "/healthz", [](Request&) { return Response::text("ok\n"); });
}

Response App::handle(Request& r) {
  try {
    require_utf8(r);
    return router_.dispatch(r);
  } catch (const HttpError& e) {
    return Response::error(e.status(), e.what(), r.wants_json());
  } catch (const InputError& e) {
    return Response::error(422, e.what(), r.wants_json());
  } catch (const store::Conflict& e) {
    return Response::error(409, e.what(), r.wants_json());
  }
}

App::Caller App::caller(const Request& r) {
  Caller c;
  if (const std::string token = bearer(r); !token.empty()) {
    c.user = store_.user_by_api_token(sha256_hex(token));
    if (!c.user) throw HttpError(401, "invalid API token");
    c.via_token = true;
    return c;
  }
  if (auto cookie = r.cookie(kSessionCookie)) {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    c.session = store_.session(sha256_hex(*cookie), now);
    if (c.session) c.user = store_.user(c.session->user_id);
  }
  return c;
}

bool App::csrf_ok(const Request& r, const Caller& c, const std::map<std::string, std::string>& form) const {
  auto it = form.find("csrf");
  if (it == form.end()) return false;
  if (c.session) return same_secret(it->second, c.session->csrf_token);
  const auto cookie = r.cookie(kCsrfCookie);
  return cookie && !cookie->empty() && same_secret(it->second, *cookie);
}

bool App::can_view_agency(const Caller& c, std::int64_t agency_id) const {
  if (!c.user) return false;
  if (c.user->role == store::Role::Admin || c.user->role == store::Role::Assessor) return true;
  return c.user->agency_id == agency_id;
}

bool App::can_manage_agency(const Caller& c, std::int64_t agency_id) const {
  if (!c.user) return false;
  return c.user->role == store::Role::Admin || (c.user->role == store::Role::Officer && c.user->agency_id == agency_id);
}

bool App::is_assessor(const Caller& c) const {
  return c.user && (c.user->role == store::Role::Assessor || c.user->role == store::Role::Admin);
}

const Edition& App::edition_of(const store::Round& round) {
  const Edition* e = editions_.find(round.edition_id);
  if (e == nullptr) throw HttpError(500, "edition " + round.edition_id + " of round " + std::to_string(round.id) + " is not loaded");
  return *e;
}

std::string App::survey_url(const std::string& token) const { return options_.base_url + "/s/" + token; }

store::Round App::create_round(const Caller& c, std::int64_t agency_id, const std::string& edition, int staff, int users,
                               bool codes, bool practice) {
  if (!store_.agency(agency_id)) throw HttpError(404, "ไม่พบหน่วยงาน " + std::to_string(agency_id));
  if (!can_manage_agency(c, agency_id)) throw HttpError(403, "เฉพาะเจ้าหน้าที่ ITA ของหน่วยงานหรือผู้ดูแลระบบเท่านั้น");
  const Edition* e = editions_.find(edition);
  if (e == nullptr) throw HttpError(422, "ไม่รู้จักชุดเกณฑ์ \"" + edition + "\"");
  if (const auto incomplete = incomplete_surveys(*e); !incomplete.empty() && !practice) {
    std::string tools;
    for (ToolId t : incomplete) tools += (tools.empty() ? "" : " และ ") + std::string(tool_code(t));
    throw HttpError(422, "ชุดเกณฑ์ พ.ศ. " + std::to_string(e->fiscal_year) + " มีข้อคำถาม " + tools +
                             " ไม่ครบถ้วน จึงเปิดรอบการประเมินจริงไม่ได้ หากต้องการทดลองใช้ "
                             "ให้เลือก \"รอบทดลอง\" หรือให้ผู้ดูแลระบบเผยแพร่ชุดเกณฑ์ที่ครบถ้วนก่อน");
  }
  if (staff < 1 || staff > 1000000) throw HttpError(422, "จำนวนบุคลากรต้องเป็นจำนวนเต็มตั้งแต่ 1");
  if (users < 1 || users > 100000000) throw HttpError(422, "จำนวนผู้รับบริการโดยประมาณต้องเป็นจำนวนเต็มตั้งแต่ 1");
  store::Round r;
  r.agency_id = agency_id;
  r.edition_id = edition;
  r.staff_count = staff;
  r.service_users = users;
  r.iit_token = random_token(12);
  r.eit_token = random_token(12);
  r.access_codes_required = codes;
  r.status = store::RoundStatus::Open;
  r.practice = practice;
  return store_.create_round(r, c.user->id);
}

store::NewResponse App::new_response(const store::Round& round, ToolId tool,
                                     std::map<std::string, std::string> answers,
                                     const std::optional<std::string>& access_code) {
  if (round.status != store::RoundStatus::Open) throw HttpError(409, "รอบการประเมินนี้ปิดรับคำตอบแล้ว");
  const Edition& e = edition_of(round);
  const auto problems = check_answers(e, tool, answers);
  if (!problems.empty()) {
    std::string all;
    for (std::size_t i = 0; i < problems.size() && i < 10; ++i) all += (all.empty() ? "" : "; ") + problems[i].message;
    if (problems.size() > 10) all += "; และอีก " + std::to_string(problems.size() - 10) + " ข้อ";
    throw HttpError(422, all);
  }
  store::NewResponse nr;
  nr.round_id = round.id;
  nr.tool = tool;
  nr.day = today_in_thailand();
  nr.answers = std::move(answers);
  if (tool == ToolId::IIT && round.access_codes_required) {
    if (!access_code || access_code->empty()) throw HttpError(422, "กรุณากรอกรหัสเข้าตอบจากใบรหัส");
    nr.access_code_hash = sha256_hex(*access_code);
  }
  return nr;
}

void App::oit_step(const Caller& c, const store::Round& round, const std::string& item, const std::string& action,
                   const std::map<std::string, std::string>& fields) {
  const Edition& e = edition_of(round);
  if (e.find_oit_item(item) == nullptr) throw HttpError(404, "ไม่มีข้อ OIT \"" + item + "\" ในชุดเกณฑ์ " + e.id);
  auto field = [&](const char* k) {
    auto it = fields.find(k);
    return it == fields.end() ? std::string() : it->second;
  };
  auto verdict = [&] {
    const std::string v = field("verdict");
    if (v != "pass" && v != "fail") throw HttpError(422, "verdict ต้องเป็น \"pass\" หรือ \"fail\"");
    return v == "pass";
  };
  const std::int64_t by = c.user->id;
  if (action == "evidence" || action == "appeal") {
    if (!can_manage_agency(c, round.agency_id)) throw HttpError(403, "เฉพาะเจ้าหน้าที่ ITA ของหน่วยงานเท่านั้น");
    if (action == "evidence") {
      store_.put_oit_evidence(round.id, item, field("url"), field("note"), by);
    } else {
      store_.appeal_oit(round.id, item, field("explanation"), by);
    }
    return;
  }
  if (!is_assessor(c)) throw HttpError(403, "เฉพาะผู้ประเมินเท่านั้น");
  if (action == "review") {
    store_.review_oit(round.id, item, verdict(), field("comment"), by);
  } else {
    store_.confirm_oit(round.id, item, verdict(), field("comment"), by);
  }
}

nlohmann::json App::page_model(const Caller& c, const std::string& title) const {
  nlohmann::json m;
  m["title"] = title;
  if (c.user) {
    static const std::map<store::Role, std::string> roles = {{store::Role::Admin, "ผู้ดูแลระบบ"},
                                                             {store::Role::Officer, "เจ้าหน้าที่ ITA"},
                                                             {store::Role::Assessor, "ผู้ประเมิน"},
                                                             {store::Role::Viewer, "ผู้ดูผล"}};
    m["user"] = {{"email", c.user->email}, {"role_th", roles.at(c.user->role)}, {"csrf", c.session ? c.session->csrf_token : ""}};
    m["user"]["dashboard"] = can_view_dashboard(c);  // the header's link to /dashboard
    m["csrf"] = c.session ? c.session->csrf_token : "";
  }
  m["errors"] = nlohmann::json::array();
  return m;
}

Response App::page(const std::string& name, const nlohmann::json& model, int status) {
  return Response::html(render_page(name, model), status);
}

Response App::need_login(const Request& r) const {
  if (r.wants_json()) return Response::error(401, "authentication required: send a bearer token", true);
  return Response::redirect("/login");
}

}  // namespace ita::web
