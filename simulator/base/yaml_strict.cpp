#include "yaml_strict.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

#include <yaml-cpp/eventhandler.h>

#include "base/file_io.hpp"

namespace mynasim::yaml {

namespace {

SourceLocation location(const std::string& file, const YAML::Mark& mark) {
    if (mark.is_null()) return SourceLocation{file, 1, 1};
    return SourceLocation{file, mark.line + 1, mark.column + 1};
}

// Aliases can make a small file a huge tree (each alias re-visits its anchor), or a cycle (an alias
// inside its own anchor); cap the walk in size and depth.
constexpr std::size_t max_visited_nodes = 100000;
constexpr std::size_t max_depth = 64;

// yaml-cpp keeps every pair of a mapping with a repeated key; walk the tree and reject them.
void reject_duplicate_keys(const YAML::Node& node, const std::string& file, std::size_t& visited,
                           std::size_t depth = 0) {
    if (depth > max_depth)
        throw LoadError(location(file, node.Mark()),
                        "nested deeper than 64 levels (or an alias refers to itself); refusing to load it");
    if (++visited > max_visited_nodes)
        throw LoadError(location(file, node.Mark()),
                        "the document expands to more than 100000 nodes (through aliases?); refusing to load it");
    if (node.IsMap()) {
        std::set<std::string> seen;
        for (const auto& pair : node) {
            if (pair.first.IsScalar()) {
                const std::string key = pair.first.Scalar();
                if (!seen.insert(key).second)
                    throw LoadError(location(file, pair.first.Mark()), "duplicate key '" + key + "'");
            } else {
                throw LoadError(location(file, pair.first.Mark()), "mapping keys must be plain scalars");
            }
            reject_duplicate_keys(pair.second, file, visited, depth + 1);
        }
    } else if (node.IsSequence()) {
        for (const auto& item : node) reject_duplicate_keys(item, file, visited, depth + 1);
    }
}

// Counts what a document contains, without building it. Used to find a second document: yaml-cpp
// 0.7's LoadAll() can loop forever on some malformed input (upstream issue 1040), Load() does not.
class DocumentProbe final : public YAML::EventHandler {
public:
    void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override { ++nulls; }
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override { ++content; }
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override { ++content; }
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
        ++content;
    }
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
        ++content;
    }
    void OnMapEnd() override {}
    YAML::Mark start;
    int nulls = 0;
    int content = 0;
};

// The location of a second document with content, if there is one.
std::optional<YAML::Mark> second_document(const std::string& text) {
    std::istringstream in(text);
    YAML::Parser parser(in);
    DocumentProbe first;
    if (!parser.HandleNextDocument(first)) return std::nullopt;
    DocumentProbe second;
    if (!parser.HandleNextDocument(second) || second.content == 0) return std::nullopt;
    return second.start;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t previous = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t saved = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1)});
            previous = saved;
        }
    }
    return row[b.size()];
}

const char* kind_name(const YAML::Node& node) {
    switch (node.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "a scalar";
    case YAML::NodeType::Null: return "empty (null)";
    default: return "undefined";
    }
}

}  // namespace

std::string read_source_file(const std::string& path) {
    try {
        return read_file(path);
    } catch (const FileError& e) {
        throw LoadError(SourceLocation{path, 1, 1}, "cannot open the file: " + e.reason());
    }
}

Document Document::from_file(const std::string& path) {
    return from_text(read_source_file(path), path);
}

Document Document::from_text(std::string_view text, const std::string& name) {
    constexpr std::size_t max_size = 1 << 20;
    if (text.size() > max_size) throw LoadError(SourceLocation{name, 1, 1}, "the file is larger than 1 MiB");
    const std::string owned(text);
    YAML::Node root;
    std::optional<YAML::Mark> extra;
    try {
        root = YAML::Load(owned);
        extra = second_document(owned);
    } catch (const YAML::Exception& e) {
        const std::string message = e.msg == "bad file" ? "nesting too deep or unreadable input" : e.msg;
        throw LoadError(location(name, e.mark), message);
    }
    if (root.IsNull()) throw LoadError(SourceLocation{name, 1, 1}, "the document is empty");
    if (extra) throw LoadError(location(name, *extra), "only one YAML document per file is allowed");
    std::size_t visited = 0;
    reject_duplicate_keys(root, name, visited);
    return Document(root, name);
}

SourceLocation Document::at(const YAML::Node& node) const { return location(file_, node.Mark()); }

void Document::fail(const YAML::Node& node, const std::string& message) const { throw LoadError(at(node), message); }

void Document::expect_map(const YAML::Node& node, const std::string& what) const {
    if (!node.IsMap()) fail(node, what + " must be a mapping, found " + kind_name(node));
}

void Document::expect_sequence(const YAML::Node& node, const std::string& what) const {
    if (!node.IsSequence()) fail(node, what + " must be a list, found " + kind_name(node));
}

void Document::check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                          const std::string& where) const {
    check_keys(map, std::span<const std::string_view>(allowed.begin(), allowed.size()), where);
}

void Document::check_keys(const YAML::Node& map, std::span<const std::string_view> allowed, const std::string& where) const {
    for (const auto& pair : map) {
        const std::string key = pair.first.Scalar();
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
        std::string message = "unknown key '" + key + "' in " + where;
        std::string_view best;
        std::size_t best_distance = 3;
        for (auto candidate : allowed) {
            const auto d = edit_distance(key, candidate);
            if (d < best_distance) {
                best_distance = d;
                best = candidate;
            }
        }
        if (!best.empty()) message += " (did you mean '" + std::string(best) + "'?)";
        message += "; allowed:";
        for (auto candidate : allowed) message += " " + std::string(candidate);
        fail(pair.first, message);
    }
}

std::string Document::string_value(const YAML::Node& node, const std::string& what) const {
    if (!node.IsScalar()) fail(node, what + " must be a string, found " + kind_name(node));
    return node.Scalar();
}

bool Document::bool_value(const YAML::Node& node, const std::string& what) const {
    const std::string text = node.IsScalar() ? node.Scalar() : std::string();
    if (text == "true") return true;
    if (text == "false") return false;
    fail(node, what + " must be true or false" + (node.IsScalar() ? ", found '" + text + "'" : ""));
}

std::int64_t Document::int_value(const YAML::Node& node, const std::string& what, std::int64_t min,
                                 std::int64_t max) const {
    if (!node.IsScalar()) fail(node, what + " must be an integer, found " + kind_name(node));
    const std::string& text = node.Scalar();
    std::int64_t value = 0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    if (!text.empty() && *begin == '+') ++begin;
    auto [ptr, ec] = std::from_chars(begin, end, value);
    if (text.empty() || ec != std::errc() || ptr != end)
        fail(node, what + " must be a decimal integer, found '" + text + "'");
    if (value < min || value > max)
        fail(node, what + " must be between " + std::to_string(min) + " and " + std::to_string(max) + ", found " +
                       text);
    return value;
}

}  // namespace mynasim::yaml
