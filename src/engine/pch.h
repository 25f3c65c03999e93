// Precompiled header for the engine: torch headers are the expensive part of
// every engine translation unit, so they are parsed once here.
#pragma once
#include <ATen/ATen.h>
#include <torch/nn.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>
