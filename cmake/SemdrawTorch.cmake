# Provides the target semdraw::torch.
#
# Two ways in:
#  * an existing LibTorch (Torch_DIR or CMAKE_PREFIX_PATH pointing at it), or
#    SEMDRAW_WITH_CUDA=ON: the standard find_package(Torch), CUDA included when
#    that LibTorch has it;
#  * the default: the `torch` wheel that ./setup.sh installs into .venv/. Its
#    TorchConfig.cmake insists on CUDA libraries a CPU-only machine does not
#    have, so we link its CPU library directly (libtorch_cpu + libc10). That
#    library still needs libcudart/libcupti at load time (its profiler), which
#    setup.sh installs as the small nvidia-cuda-runtime/-cupti wheels.
set(SEMDRAW_VENV "${CMAKE_SOURCE_DIR}/.venv" CACHE PATH "Python virtual environment holding the torch wheel")
file(GLOB _semdraw_site "${SEMDRAW_VENV}/lib/python3*/site-packages")

add_library(semdraw_torch INTERFACE)
add_library(semdraw::torch ALIAS semdraw_torch)

if(Torch_DIR OR SEMDRAW_WITH_CUDA OR NOT _semdraw_site)
  if(NOT Torch_DIR AND _semdraw_site)
    set(Torch_DIR "${_semdraw_site}/torch/share/cmake/Torch")
  endif()
  # LibTorch's CUDA config picks nvcc arch flags even though we compile no
  # CUDA code. Without a list it compiles and runs a GPU probe at configure
  # time, which CMake 3.25 cannot even build (it asks nvcc for CUDA20). Any
  # list does for us: Hopper unless the environment or -D names others.
  if(NOT DEFINED TORCH_CUDA_ARCH_LIST AND NOT DEFINED ENV{TORCH_CUDA_ARCH_LIST})
    set(TORCH_CUDA_ARCH_LIST "9.0" CACHE STRING "nvcc arch list for LibTorch's CMake config (no CUDA code is compiled)")
  endif()
  find_package(Torch REQUIRED)
  target_link_libraries(semdraw_torch INTERFACE ${TORCH_LIBRARIES})
  target_include_directories(semdraw_torch SYSTEM INTERFACE ${TORCH_INCLUDE_DIRS})
  if(TORCH_CXX_FLAGS)
    separate_arguments(_semdraw_torch_flags UNIX_COMMAND "${TORCH_CXX_FLAGS}")
    target_compile_options(semdraw_torch INTERFACE ${_semdraw_torch_flags})
  endif()
  if(TARGET torch_cuda OR CUDA_FOUND)
    target_compile_definitions(semdraw_torch INTERFACE SEMDRAW_HAVE_CUDA=1)
    # The torch wheel's libtorch_cuda.so needs CUDA libraries (cuSPARSELt,
    # NCCL, NVSHMEM, cuFile, ...) that the wheel installs beside it under
    # site-packages/nvidia/ and finds at run time through its own RUNPATH
    # ($ORIGIN/...). Linking an executable, ld would re-check that library's
    # undefined symbols against libraries it does not look for there: point
    # it at them, and leave that check to the dynamic loader.
    file(GLOB _semdraw_nv_libs "${TORCH_INSTALL_PREFIX}/../nvidia/*/lib")
    if(_semdraw_nv_libs)
      target_link_options(semdraw_torch INTERFACE "LINKER:-rpath-link,$<JOIN:${_semdraw_nv_libs},:>")
    endif()
    target_link_options(semdraw_torch INTERFACE "LINKER:--allow-shlib-undefined")
  endif()
  set(SEMDRAW_TORCH_SOURCE "find_package(Torch) at ${Torch_DIR}")
else()
  list(GET _semdraw_site 0 _site)
  set(_torch "${_site}/torch")
  if(NOT EXISTS "${_torch}/lib/libtorch_cpu.so")
    message(FATAL_ERROR "No LibTorch: ${_torch}/lib/libtorch_cpu.so is missing. Run ./setup.sh, or pass -DTorch_DIR=<libtorch>/share/cmake/Torch")
  endif()
  target_include_directories(semdraw_torch SYSTEM INTERFACE "${_torch}/include" "${_torch}/include/torch/csrc/api/include")
  target_link_libraries(semdraw_torch INTERFACE "${_torch}/lib/libtorch_cpu.so" "${_torch}/lib/libc10.so")
  # The CUDA runtime pieces libtorch_cpu.so was linked against (see above).
  set(_rpath "${_torch}/lib")
  file(GLOB _nv_libs "${_site}/nvidia/*/lib")
  list(APPEND _rpath ${_nv_libs})
  target_link_options(semdraw_torch INTERFACE "LINKER:-rpath,$<JOIN:${_rpath},:>" "LINKER:--disable-new-dtags")
  set(SEMDRAW_TORCH_SOURCE "CPU library of the torch wheel in ${_site}")
endif()
message(STATUS "LibTorch: ${SEMDRAW_TORCH_SOURCE}")
