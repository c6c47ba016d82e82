#pragma once
#include <string>
#include <string_view>

namespace ita::io {

// Writes `content` to `path` via a temporary file in the same folder and a rename, so a reader
// (or a crash) never sees a half-written file. FileError if the folder is not writable.
void write_file_atomically(const std::string& path, std::string_view content);

}  // namespace ita::io
