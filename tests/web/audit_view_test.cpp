// web/audit_view: the audit log's codes as an administrator reads them, in Thai.
#include "web/audit_view.hpp"

#include <gtest/gtest.h>

#include "core/thai.hpp"

namespace ita::web {
namespace {

TEST(ViewsAudit, ActionsAndTargetsAreNamedInThai) {
  EXPECT_EQ(audit_action_th("round.close"), "ปิดรอบการประเมิน");
  EXPECT_EQ(audit_action_th("oit.check"), "ตรวจความพร้อมของหลักฐาน OIT");
  EXPECT_EQ(audit_action_th("something.new"), "something.new") << "an unknown code as it is";
  EXPECT_EQ(audit_target_th("round:3"), "รอบ 3");
  EXPECT_EQ(audit_target_th("agency:12"), "หน่วยงาน 12");
  EXPECT_EQ(audit_target_th("user:1"), "ผู้ใช้ 1");
  EXPECT_EQ(audit_target_th("edition:2567"), "ชุดเกณฑ์ 2567");
  EXPECT_EQ(audit_target_th("round:1/O16"), "รอบ 1/O16");
  EXPECT_EQ(audit_target_th("elsewhere"), "elsewhere");
}

TEST(ViewsAudit, DetailsReadAsThaiLabelsAndValues) {
  EXPECT_EQ(audit_detail_th(R"({"pass":false,"stage":"confirmed"})"), "ผล: ไม่ผ่าน · ขั้น: ยืนยันผลแล้ว");
  EXPECT_EQ(audit_detail_th(R"({"stage":"appealed"})"), "ขั้น: ชี้แจงแล้ว รอยืนยันผล");
  EXPECT_EQ(audit_detail_th(R"({"expires_at":1796379800})"),
            "หมดอายุ: " + format_thai_datetime(1796379800));
  EXPECT_EQ(audit_detail_th(R"({"before":{"status":"open"},"after":{"status":"closed"}})"),
            "หลัง: (สถานะ: ปิดแล้ว) · ก่อน: (สถานะ: เปิดรับคำตอบ)");
  EXPECT_EQ(audit_detail_th(R"({"closes_at":"2026-12-31"})"), "วันปิดรับคำตอบ: 31 ธันวาคม 2569");
  EXPECT_EQ(audit_detail_th(R"({"role":"viewer","email":"a@b.th"})"), "อีเมล: a@b.th · บทบาท: ผู้ดูผล");
  EXPECT_EQ(audit_detail_th(R"({"sessions_ended":2})"), "เซสชันที่ยุติ: 2");
  EXPECT_EQ(audit_detail_th(R"({"practice":true,"response_cap_percent":null})"),
            "รอบทดลอง: ใช่ · เพดานจำนวนผู้ตอบ (ร้อยละ): -");
  EXPECT_EQ(audit_detail_th("not json"), "not json");
  EXPECT_EQ(audit_detail_th(""), "");
}

}  // namespace
}  // namespace ita::web
