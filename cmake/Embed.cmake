# ita_embed_files(OUT_CPP NS FUNC COMMENT FILES...): generates OUT_CPP defining
#   const std::map<std::string, std::string>& NS::FUNC()
# with each file's bytes under its file name, so the binary carries them wherever it is copied.
function(ita_embed_files out_cpp ns func comment)
  set(files ${ARGN})
  list(JOIN files "|" files_arg)
  add_custom_command(
    OUTPUT ${out_cpp}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out_cpp} "-DFILES=${files_arg}" -DNS=${ns} -DFUNC=${func}
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    DEPENDS ${files} ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake ${PROJECT_SOURCE_DIR}/cmake/embed_common.cmake
    COMMENT "${comment}"
    VERBATIM)
endfunction()
