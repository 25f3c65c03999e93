# nlohmann/json and GoogleTest: the installed packages (Debian's
# nlohmann-json3-dev and libgtest-dev, which setup.sh installs), else copies in
# SEMDRAW_DEPS_DIR. Machines with neither and no network (the GPU machine of
# scripts/gpu-check.sh) get the copies from `scripts/gpu-check.sh --prepare`,
# which takes them from this machine's packages into .gpu-deps/.
set(SEMDRAW_DEPS_DIR "${CMAKE_SOURCE_DIR}/.gpu-deps" CACHE PATH
    "Fallback sources: include/nlohmann/json.hpp and googletest/ (scripts/gpu-check.sh --prepare)")

find_package(nlohmann_json 3 QUIET)
if(NOT nlohmann_json_FOUND)
  if(NOT EXISTS "${SEMDRAW_DEPS_DIR}/include/nlohmann/json.hpp")
    message(FATAL_ERROR "nlohmann/json not found: install nlohmann-json3-dev (./setup.sh does), "
                        "or put a copy in ${SEMDRAW_DEPS_DIR} (scripts/gpu-check.sh --prepare)")
  endif()
  add_library(semdraw_nlohmann_json INTERFACE)
  target_include_directories(semdraw_nlohmann_json SYSTEM INTERFACE "${SEMDRAW_DEPS_DIR}/include")
  add_library(nlohmann_json::nlohmann_json ALIAS semdraw_nlohmann_json)
  message(STATUS "nlohmann/json: the copy in ${SEMDRAW_DEPS_DIR}/include")
endif()

# Called by tests/CMakeLists.txt: provides GTest::gtest.
macro(semdraw_find_gtest)
  find_package(GTest QUIET)
  if(NOT GTest_FOUND)
    if(NOT EXISTS "${SEMDRAW_DEPS_DIR}/googletest/CMakeLists.txt")
      message(FATAL_ERROR "GoogleTest not found: install libgtest-dev (./setup.sh does), configure with "
                          "-DSEMDRAW_BUILD_TESTS=OFF, or put its sources in ${SEMDRAW_DEPS_DIR}/googletest "
                          "(scripts/gpu-check.sh --prepare)")
    endif()
    set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
    set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
    add_subdirectory("${SEMDRAW_DEPS_DIR}/googletest" "${CMAKE_BINARY_DIR}/googletest" EXCLUDE_FROM_ALL)
    if(NOT TARGET GTest::gtest)
      add_library(GTest::gtest ALIAS gtest)
    endif()
    message(STATUS "GoogleTest: built from ${SEMDRAW_DEPS_DIR}/googletest")
  endif()
endmacro()
