# Use ccache when it is installed. The precompiled torch header needs the two
# sloppiness settings, otherwise ccache refuses to cache PCH-using files.
# CCACHE_BASEDIR makes paths below the source tree relative in ccache's hash,
# so another clone of the repository (CI builds a fresh one) reuses what this
# one compiled instead of rebuilding everything cold.
find_program(SEMDRAW_CCACHE ccache)
if(SEMDRAW_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER
      ${CMAKE_COMMAND} -E env CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
      CCACHE_BASEDIR=${CMAKE_SOURCE_DIR} ${SEMDRAW_CCACHE})
  message(STATUS "ccache: ${SEMDRAW_CCACHE}")
endif()
