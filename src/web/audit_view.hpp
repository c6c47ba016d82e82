#pragma once
// The audit log as an administrator reads it on /audit: what was done, to what and with which
// details, in Thai. The store keeps codes ("round.close", "round:3", {"stage":"confirmed"});
// this is the one place that turns them into words.
#include <string>
#include <string_view>

namespace ita::web {

// The action's Thai name ("round.close" → "ปิดรอบการประเมิน"); an unknown code as it is.
std::string audit_action_th(std::string_view code);
// The target in Thai ("round:3" → "รอบ 3"); a target of another kind as it is.
std::string audit_target_th(std::string_view target);
// The detail, a JSON object, as "label: value" pairs in Thai joined by " · ": booleans as
// ผ่าน/ไม่ผ่าน (the key "pass") or ใช่/ไม่ใช่, times (keys ending in "_at": Unix seconds) and
// dates ("YYYY-MM-DD") as Thai dates, OIT stages, round statuses and roles by their Thai names,
// nested objects in parentheses. An unknown key keeps its code; a detail that is not a JSON object
// is shown as it is.
std::string audit_detail_th(std::string_view detail);

}  // namespace ita::web
