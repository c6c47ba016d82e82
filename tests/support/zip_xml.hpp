#pragma once
// Whether a DOCX or XLSX package is well-formed XML throughout, as a real XML parser (python3's
// xml.dom.minidom) reads it. Header-only: used by the report and the web test executables.
#include <stdio.h>

#include <array>
#include <string>

namespace ita::testing {

// Every member of the zip file `path` that is XML (*.xml, *.rels) parses: "" when all do, else a
// line per member with the parser's error, or "python3 failed: …" when python3 cannot run or
// read the zip.
inline std::string xml_problems_in_zip(const std::string& path) {
  const std::string command =
      "python3 -c \"import sys, zipfile, xml.dom.minidom as m\n"
      "z = zipfile.ZipFile(sys.argv[1])\n"
      "for n in z.namelist():\n"
      "    if n.endswith('.xml') or n.endswith('.rels'):\n"
      "        try: m.parseString(z.read(n))\n"
      "        except Exception as e: print(n, e)\n"
      "\" '" +
      path + "' 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return "python3 failed: cannot start it";
  std::string out;
  std::array<char, 4096> buf{};
  for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0;)
    out.append(buf.data(), n);
  return ::pclose(pipe) == 0 ? out : "python3 failed: " + out;
}

}  // namespace ita::testing
