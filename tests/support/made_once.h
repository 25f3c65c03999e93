#pragma once
// Files and folders that several test processes share (the seeded models under
// <build>/test-models), made exactly once whatever the order and parallelism of
// the runs: ctest -j, two build trees' runs, or a test binary started by hand.
#include <filesystem>
#include <functional>

namespace semdraw::test {

// Returns `target` after making it if it does not exist yet. An exclusive
// lock on `<target>.lock` is held while checking and making, so concurrent
// first users wait for the one that makes it instead of racing on the same
// path. `make` writes into the scratch path it is given (a sibling of
// `target`), which is renamed into place only when `make` returns; a scratch
// left by a killed process is removed first. Throws if `make` does, or if the
// target is missing afterwards.
std::filesystem::path made_once(const std::filesystem::path& target,
                                const std::function<void(const std::filesystem::path& scratch)>& make);

}  // namespace semdraw::test
