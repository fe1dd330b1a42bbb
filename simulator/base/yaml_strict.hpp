#pragma once
// Strict YAML reading on top of yaml-cpp: every error says file:line:col (1-based); duplicate keys,
// unknown keys and wrong types are errors (yaml-cpp itself accepts duplicate keys silently).
#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <span>
#include <string_view>

#include <yaml-cpp/yaml.h>

namespace mynasim::yaml {

struct SourceLocation {
    std::string file;
    int line = 1;    // 1-based
    int column = 1;  // 1-based
    std::string str() const { return file + ":" + std::to_string(line) + ":" + std::to_string(column); }
};

class LoadError : public std::runtime_error {
public:
    LoadError(SourceLocation where, const std::string& message)
        : std::runtime_error(where.str() + ": " + message), where_(std::move(where)), message_(message) {}
    const SourceLocation& where() const { return where_; }
    const std::string& message() const { return message_; }

private:
    SourceLocation where_;
    std::string message_;
};

// A source file's whole text, or LoadError at PATH:1:1 "cannot open the file: reason".
std::string read_source_file(const std::string& path);

// A parsed document that remembers its file name for locations.
class Document {
public:
    // Throws LoadError for unreadable files, syntax errors, duplicate keys, multiple documents.
    static Document from_file(const std::string& path);
    static Document from_text(std::string_view text, const std::string& name);

    const YAML::Node& root() const { return root_; }
    const std::string& file() const { return file_; }
    SourceLocation at(const YAML::Node& node) const;
    [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const;

    // Type checks; `what` names the value in the message ("key 'serial'").
    void expect_map(const YAML::Node& node, const std::string& what) const;
    void expect_sequence(const YAML::Node& node, const std::string& what) const;
    // Rejects keys not in `allowed` ("unknown key 'seriall' (did you mean 'serial'?; allowed: ...)").
    void check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                    const std::string& where) const;
    // The same for a list made at run time (e.g. from a table of fields).
    void check_keys(const YAML::Node& map, std::span<const std::string_view> allowed, const std::string& where) const;

    std::string string_value(const YAML::Node& node, const std::string& what) const;
    bool bool_value(const YAML::Node& node, const std::string& what) const;
    // Decimal integer within [min, max].
    std::int64_t int_value(const YAML::Node& node, const std::string& what, std::int64_t min, std::int64_t max) const;

private:
    Document(YAML::Node root, std::string file) : root_(std::move(root)), file_(std::move(file)) {}
    YAML::Node root_;
    std::string file_;
};

}  // namespace mynasim::yaml
