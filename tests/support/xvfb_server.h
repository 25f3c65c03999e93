#pragma once
// Starts a private Xvfb for tests that need a real X server, unless DISPLAY is
// already set. The server dies with the object.
#include <sys/types.h>

#include <string>

namespace semdraw::test {

class XvfbServer {
 public:
  // Sets DISPLAY for this process on success. Returns false (with a reason in
  // error()) when Xvfb is missing or fails to start.
  bool start_if_needed();
  const std::string& error() const { return error_; }
  ~XvfbServer();

 private:
  pid_t pid_ = -1;
  std::string error_;
};

}  // namespace semdraw::test
