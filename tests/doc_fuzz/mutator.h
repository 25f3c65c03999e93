#pragma once
// Seeded, deterministic mutations for the document parsers' fuzz tests:
// raw bytes, zip header fields and names, and JSON (text and structure).
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <QByteArray>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace semdraw::doc::fuzz {

class Mutator {
 public:
  explicit Mutator(std::uint32_t seed) : random_(seed) {}

  int pick(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
  qsizetype index(qsizetype size) {
    return size <= 0 ? 0 : std::uniform_int_distribution<qsizetype>(0, size - 1)(random_);
  }
  template <typename T>
  T one_of(const std::vector<T>& items) {
    return items[static_cast<size_t>(index(static_cast<qsizetype>(items.size())))];
  }

  // Format-blind damage: bit flips, byte runs, truncation, insertion, deletion.
  QByteArray bytes(QByteArray data) {
    if (data.isEmpty()) return QByteArray(1, static_cast<char>(pick(0, 255)));
    switch (pick(0, 5)) {
      case 0:
        for (int n = pick(1, 8); n > 0; --n) {
          const qsizetype at = index(data.size());
          data[at] = static_cast<char>(data[at] ^ (1 << pick(0, 7)));
        }
        break;
      case 1: {  // overwrite a short run with one odd byte value
        const char value = static_cast<char>(one_of<int>({0x00, 0xff, 0x7f, 0x80, pick(0, 255)}));
        const qsizetype at = index(data.size());
        for (qsizetype i = at; i < std::min(data.size(), at + pick(1, 16)); ++i) data[i] = value;
        break;
      }
      case 2: data.truncate(index(data.size())); break;
      case 3: data.insert(index(data.size() + 1), QByteArray(pick(1, 8), static_cast<char>(pick(0, 255)))); break;
      case 4: data.remove(index(data.size()), pick(1, 32)); break;
      default: {  // duplicate a chunk somewhere else
        const qsizetype from = index(data.size());
        data.insert(index(data.size() + 1), data.mid(from, pick(1, 64)));
        break;
      }
    }
    return data;
  }

  // Text damage aimed at JSON and XML tokenisers: punctuation, digits,
  // quotes, escapes, invalid UTF-8, plus the byte-level damage above.
  QByteArray text(QByteArray data) {
    static const std::string alphabet = "{}[]<>\"',:/=-.0123456789eE \\ntfu&;\x80\xff";
    if (data.isEmpty() || pick(0, 3) == 0) return bytes(data);
    const qsizetype at = index(data.size());
    if (pick(0, 1)) {
      data[at] = alphabet[static_cast<size_t>(index(static_cast<qsizetype>(alphabet.size())))];
    } else {  // change a digit: sizes, versions, strengths, seeds
      for (qsizetype i = at; i < data.size(); ++i)
        if (data[i] >= '0' && data[i] <= '9') {
          data[i] = static_cast<char>('0' + pick(0, 9));
          break;
        }
    }
    return data;
  }

  // JSON-aware: replace a random value (anywhere in the tree) with a value
  // of another type or an extreme number, or delete a key or element.
  nlohmann::json json_value(nlohmann::json root) {
    std::vector<nlohmann::json::json_pointer> paths;
    collect(root, nlohmann::json::json_pointer(), &paths);
    const auto at = one_of(paths);
    if (!at.empty() && pick(0, 3) == 0) {
      nlohmann::json& parent = root.at(at.parent_pointer());
      if (parent.is_object())
        parent.erase(at.back());
      else
        parent.erase(static_cast<size_t>(std::stoul(at.back())));
      return root;
    }
    root.at(at) = one_of<nlohmann::json>({nullptr,
                                          true,
                                          false,
                                          0,
                                          -1,
                                          1e308,
                                          -1e308,
                                          2.5,
                                          4096,
                                          16385,
                                          18446744073709551615ULL,
                                          -9223372036854775807LL,
                                          "",
                                          "x",
                                          std::string(300, 'a'),
                                          "#zzzzzz",
                                          "continuous",
                                          nlohmann::json::array(),
                                          nlohmann::json::object(),
                                          nlohmann::json::array({1, "2", nullptr})});
    return root;
  }

 private:
  static void collect(const nlohmann::json& value, const nlohmann::json::json_pointer& at,
                      std::vector<nlohmann::json::json_pointer>* out) {
    out->push_back(at);
    if (value.is_object())
      for (const auto& [key, child] : value.items()) collect(child, at / key, out);
    else if (value.is_array())
      for (size_t i = 0; i < value.size(); ++i) collect(value[i], at / i, out);
  }

  std::mt19937 random_;
};

// Sends stderr to /dev/null while it lives.
class QuietStderr {
 public:
  QuietStderr() : saved_(::dup(2)) {
    const int null = ::open("/dev/null", O_WRONLY);
    if (null >= 0) {
      ::dup2(null, 2);
      ::close(null);
    }
  }
  ~QuietStderr() {
    if (saved_ >= 0) {
      ::dup2(saved_, 2);
      ::close(saved_);
    }
  }
  QuietStderr(const QuietStderr&) = delete;
  QuietStderr& operator=(const QuietStderr&) = delete;

 private:
  int saved_;
};

// Peak resident memory of this process in MiB: the fuzz tests assert that no
// input made the parsers allocate wildly.
inline long peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace semdraw::doc::fuzz
