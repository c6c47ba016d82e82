# Helpers shared by the embed scripts (run in script mode with -P).

# Sets `out` to a C++ expression holding the bytes of `file`, NUL bytes included.
function(ita_cxx_bytes out file type)
  file(READ "${file}" content HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${content}")
  set(${out} "${type}(\"${escaped}\", sizeof(\"${escaped}\") - 1)" PARENT_SCOPE)
endfunction()
