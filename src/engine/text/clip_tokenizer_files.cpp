#include "text/clip_tokenizer_files.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace semdraw::text {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& what) {
  throw std::runtime_error(file.string() + ": " + what);
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) fail(file, "cannot open the file (missing or unreadable)");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) fail(file, "read error");
  return buffer.str();
}

json parse_json(const std::filesystem::path& file) {
  try {
    return json::parse(read_file(file));
  } catch (const json::exception& e) {
    fail(file, std::string("invalid JSON: ") + e.what());
  }
}

std::unordered_map<std::string, int32_t> read_vocab(const std::filesystem::path& file) {
  const json doc = parse_json(file);
  if (!doc.is_object()) fail(file, "expected a JSON object mapping tokens to ids");
  std::unordered_map<std::string, int32_t> vocab;
  vocab.reserve(doc.size());
  for (const auto& [token, id] : doc.items()) {
    if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() > INT32_MAX) {
      fail(file, "token '" + token + "' has no valid id (expected a non-negative integer)");
    }
    vocab.emplace(token, id.get<int32_t>());
  }
  if (vocab.empty()) fail(file, "the vocabulary is empty");
  return vocab;
}

void read_merges(const std::filesystem::path& file, ClipTokenizerFiles& out) {
  std::istringstream in(read_file(file));
  std::string line;
  int line_number = 0;
  std::vector<std::pair<int, std::string>> lines;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.emplace_back(line_number, std::move(line));
  }
  // A final newline leaves trailing empty lines; any other empty line is malformed.
  while (!lines.empty() && lines.back().second.empty()) lines.pop_back();
  for (const auto& [number, text] : lines) {
    if (text.rfind("#version", 0) == 0) continue;  // header line of HF merges files
    const std::size_t space = text.find(' ');
    if (space == std::string::npos || space == 0 || space + 1 == text.size() ||
        text.find(' ', space + 1) != std::string::npos) {
      fail(file, "line " + std::to_string(number) + " is not a merge of two tokens (\"left right\"): '" +
                     text.substr(0, 80) + "'");
    }
    out.merges.emplace_back(text.substr(0, space), text.substr(space + 1));
    out.merge_lines.push_back(number);
  }
}

// One of bos/eos/unk/pad as transformers resolves it: a plain string is an
// added token that is matched in the raw text; an AddedToken object carries
// its own "normalized" flag.
struct RoleToken {
  std::string content;
  bool normalized = false;
  std::string origin;  // "<file> (key)" for error messages
};

std::optional<RoleToken> read_role(const json& doc, const char* key, const std::filesystem::path& file) {
  if (!doc.contains(key) || doc[key].is_null()) return std::nullopt;
  const json& value = doc[key];
  const std::string origin = file.string() + " (" + key + ")";
  if (value.is_string()) return RoleToken{value.get<std::string>(), false, origin};
  if (value.is_object() && value.contains("content") && value["content"].is_string()) {
    const bool normalized =
        value.contains("normalized") && value["normalized"].is_boolean() && value["normalized"].get<bool>();
    return RoleToken{value["content"].get<std::string>(), normalized, origin};
  }
  fail(file, std::string("'") + key + "' must be a string or an object with a string \"content\"");
}

}  // namespace

ClipTokenizerFiles read_clip_tokenizer_folder(const std::filesystem::path& folder) {
  ClipTokenizerFiles files;
  const std::filesystem::path vocab_path = folder / "vocab.json";
  const std::filesystem::path merges_path = folder / "merges.txt";
  files.vocab_path = vocab_path.string();
  files.merges_path = merges_path.string();
  files.vocab = read_vocab(vocab_path);
  read_merges(merges_path, files);

  // CLIPTokenizer's defaults, then tokenizer_config.json, then special_tokens_map.json.
  const char* const kRoles[] = {"bos_token", "eos_token", "unk_token", "pad_token"};
  std::map<std::string, RoleToken> roles = {
      {"bos_token", {"<|startoftext|>", false, "default bos_token"}},
      {"eos_token", {"<|endoftext|>", false, "default eos_token"}},
      {"unk_token", {"<|endoftext|>", false, "default unk_token"}},
      {"pad_token", {"<|endoftext|>", false, "default pad_token"}},
  };
  // Explicit added tokens (newer tokenizer_config.json files): id -> token.
  std::map<std::string, SpecialToken> added;
  for (const char* name : {"tokenizer_config.json", "special_tokens_map.json"}) {
    const std::filesystem::path file = folder / name;
    if (!std::filesystem::exists(file)) continue;
    const json doc = parse_json(file);
    if (!doc.is_object()) fail(file, "expected a JSON object");
    for (const char* key : kRoles) {
      if (auto role = read_role(doc, key, file)) roles[key] = *role;
    }
    if (doc.contains("added_tokens_decoder")) {
      const json& decoder = doc["added_tokens_decoder"];
      if (!decoder.is_object()) fail(file, "'added_tokens_decoder' must be an object");
      for (const auto& [id_text, token] : decoder.items()) {
        int32_t id = -1;
        try {
          std::size_t used = 0;
          id = std::stoi(id_text, &used);
          if (used != id_text.size() || id < 0) id = -1;
        } catch (const std::exception&) {
          id = -1;
        }
        if (id < 0 || !token.is_object() || !token.contains("content") || !token["content"].is_string()) {
          fail(file, "added_tokens_decoder entry '" + id_text + "' needs a numeric id and a string \"content\"");
        }
        const bool normalized =
            token.contains("normalized") && token["normalized"].is_boolean() && token["normalized"].get<bool>();
        const std::string content = token["content"].get<std::string>();
        added[content] = SpecialToken{content, id, normalized};
      }
    }
  }

  // The special tokens matched in the text: the four roles (a later role sets
  // the flag for the same content, as transformers registers pad last), then
  // explicit added tokens, which take precedence.
  std::map<std::string, SpecialToken> specials;
  std::map<std::string, int32_t> role_ids;
  for (const char* key : kRoles) {
    const RoleToken& role = roles[key];
    int32_t id = -1;
    if (auto it = added.find(role.content); it != added.end()) {
      id = it->second.id;
    } else if (auto v = files.vocab.find(role.content); v != files.vocab.end()) {
      id = v->second;
    } else {
      throw std::runtime_error(role.origin + ": special token '" + role.content + "' is not in " + files.vocab_path);
    }
    role_ids[key] = id;
    specials[role.content] = SpecialToken{role.content, id, role.normalized};
  }
  for (const auto& [content, token] : added) specials[content] = token;

  files.bos_id = role_ids["bos_token"];
  files.eos_id = role_ids["eos_token"];
  files.pad_id = role_ids["pad_token"];
  int32_t max_id = 0;
  for (const auto& [token, id] : files.vocab) max_id = std::max(max_id, id);
  for (const auto& [content, token] : specials) {
    if (!content.empty()) files.special_tokens.push_back(token);
    max_id = std::max(max_id, token.id);
  }
  files.vocab_size = static_cast<std::size_t>(max_id) + 1;
  return files;
}

}  // namespace semdraw::text
