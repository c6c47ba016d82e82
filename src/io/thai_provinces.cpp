#include "io/thai_provinces.hpp"

namespace ita::io {

namespace {

constexpr std::string_view kNorth = "ภาคเหนือ";
constexpr std::string_view kNortheast = "ภาคตะวันออกเฉียงเหนือ";
constexpr std::string_view kCentral = "ภาคกลาง";
constexpr std::string_view kEast = "ภาคตะวันออก";
constexpr std::string_view kWest = "ภาคตะวันตก";
constexpr std::string_view kSouth = "ภาคใต้";

constexpr Province kProvinces[] = {
    {"เชียงใหม่", kNorth},       {"เชียงราย", kNorth},
    {"ลำปาง", kNorth},         {"ลำพูน", kNorth},
    {"แม่ฮ่องสอน", kNorth},      {"น่าน", kNorth},
    {"พะเยา", kNorth},         {"แพร่", kNorth},
    {"อุตรดิตถ์", kNorth},        {"กาฬสินธุ์", kNortheast},
    {"ขอนแก่น", kNortheast},    {"ชัยภูมิ", kNortheast},
    {"นครพนม", kNortheast},    {"นครราชสีมา", kNortheast},
    {"บึงกาฬ", kNortheast},     {"บุรีรัมย์", kNortheast},
    {"มหาสารคาม", kNortheast}, {"มุกดาหาร", kNortheast},
    {"ยโสธร", kNortheast},     {"ร้อยเอ็ด", kNortheast},
    {"เลย", kNortheast},       {"ศรีสะเกษ", kNortheast},
    {"สกลนคร", kNortheast},    {"สุรินทร์", kNortheast},
    {"หนองคาย", kNortheast},   {"หนองบัวลำภู", kNortheast},
    {"อำนาจเจริญ", kNortheast}, {"อุดรธานี", kNortheast},
    {"อุบลราชธานี", kNortheast}, {"กรุงเทพมหานคร", kCentral},
    {"กำแพงเพชร", kCentral},   {"ชัยนาท", kCentral},
    {"นครนายก", kCentral},     {"นครปฐม", kCentral},
    {"นครสวรรค์", kCentral},    {"นนทบุรี", kCentral},
    {"ปทุมธานี", kCentral},      {"พระนครศรีอยุธยา", kCentral},
    {"พิจิตร", kCentral},        {"พิษณุโลก", kCentral},
    {"เพชรบูรณ์", kCentral},     {"ลพบุรี", kCentral},
    {"สมุทรปราการ", kCentral},  {"สมุทรสงคราม", kCentral},
    {"สมุทรสาคร", kCentral},    {"สิงห์บุรี", kCentral},
    {"สุโขทัย", kCentral},       {"สุพรรณบุรี", kCentral},
    {"สระบุรี", kCentral},       {"อ่างทอง", kCentral},
    {"อุทัยธานี", kCentral},      {"จันทบุรี", kEast},
    {"ฉะเชิงเทรา", kEast},      {"ชลบุรี", kEast},
    {"ตราด", kEast},           {"ปราจีนบุรี", kEast},
    {"ระยอง", kEast},          {"สระแก้ว", kEast},
    {"กาญจนบุรี", kWest},        {"ตาก", kWest},
    {"ประจวบคีรีขันธ์", kWest},    {"เพชรบุรี", kWest},
    {"ราชบุรี", kWest},          {"กระบี่", kSouth},
    {"ชุมพร", kSouth},          {"ตรัง", kSouth},
    {"นครศรีธรรมราช", kSouth},  {"นราธิวาส", kSouth},
    {"ปัตตานี", kSouth},         {"พังงา", kSouth},
    {"พัทลุง", kSouth},          {"ภูเก็ต", kSouth},
    {"ยะลา", kSouth},          {"ระนอง", kSouth},
    {"สงขลา", kSouth},         {"สตูล", kSouth},
    {"สุราษฎร์ธานี", kSouth},
};

static_assert(std::size(kProvinces) == 77, "Thailand has 77 provinces");

}  // namespace

std::span<const Province> thai_provinces() {
  return kProvinces;
}

const Province* find_thai_province(std::string_view name_th) {
  for (const Province& p : kProvinces) {
    if (p.name_th == name_th) return &p;
  }
  return nullptr;
}

}  // namespace ita::io
