#pragma once
// The temporary files write_atomically() makes, and cleaning up after a
// crash. A temporary of ours beside "picture.ora" is named
//   .picture.ora.semdraw-tmp-<pid>-<random>
// (hidden, so file dialogs do not show a half-written file; the pid says
// whose it is). Writers that commit through a file of their own (libzip adds
// ".XXXXXX") keep the pattern, so theirs are recognised too.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>

namespace semdraw::fileio {

// A temporary of any process older than this is stale even if a process with
// its pid runs (pids are reused); a write in progress touches it far sooner.
inline constexpr std::chrono::minutes kStaleTemporaryAge{60};

// A fresh temporary name for `target`, in the target's folder (a new random
// part at each call, so a retry after a clash gets another name).
std::filesystem::path temporary_name_for(const std::filesystem::path& target);

// Whether `name` (a file name, no folder) is one of ours; *pid gets its writer.
bool is_our_temporary(const std::string& name, pid_t* pid = nullptr);

// Removes the temporaries of ours in `folder` whose writer is gone (no such
// process) or that are older than kStaleTemporaryAge; never another
// program's files, never a live write of this or another running process.
// Errors are ignored (a folder we cannot list has nothing of ours to clean).
// Returns how many were removed.
int remove_stale_temporaries(const std::filesystem::path& folder);

}  // namespace semdraw::fileio
