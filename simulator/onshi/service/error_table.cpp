#include "error_table.hpp"

#include <map>
#include <set>
#include <stdexcept>

#include "base/yaml_strict.hpp"

namespace mynasim::onshi {

// Generated from simulator/onshi/data/*.yaml (cmake/embed_files.cmake).
const std::map<std::string, std::string>& embedded_onshi_tables();

ErrorTable ErrorTable::parse(const std::string& yaml_text, const std::string& name) {
    const auto doc = yaml::Document::from_text(yaml_text, name);
    doc.expect_map(doc.root(), "the error table");
    doc.check_keys(doc.root(), {"errors"}, "the error table");
    if (!doc.root()["errors"]) doc.fail(doc.root(), "missing 'errors'");
    doc.expect_sequence(doc.root()["errors"], "errors");
    ErrorTable table;
    std::set<std::string> keys, codes;
    for (const auto& item : doc.root()["errors"]) {
        doc.expect_map(item, "an error entry");
        doc.check_keys(item, {"key", "level", "code", "http", "message", "cause"}, "an error entry");
        for (const char* required : {"key", "level", "code", "http", "message", "cause"})
            if (!item[required]) doc.fail(item, std::string("an error entry needs '") + required + "'");
        const std::string level = doc.string_value(item["level"], "level");
        if (level != "file" && level != "person" && level != "notice")
            doc.fail(item["level"], "level must be file, person or notice, found '" + level + "'");
        ErrorEntry e{doc.string_value(item["key"], "key"),
                     level == "file" ? ErrorLevel::File : level == "person" ? ErrorLevel::Person : ErrorLevel::Notice,
                     doc.string_value(item["code"], "code"),
                     static_cast<int>(doc.int_value(item["http"], "http", 200, 599)),
                     doc.string_value(item["message"], "message"), doc.string_value(item["cause"], "cause")};
        if (!keys.insert(e.key).second) doc.fail(item["key"], "error key '" + e.key + "' appears twice");
        if (!codes.insert(e.code).second) doc.fail(item["code"], "error code '" + e.code + "' appears twice");
        table.entries_.push_back(e);
    }
    return table;
}

const ErrorTable& ErrorTable::builtin() {
    static const ErrorTable table = parse(embedded_onshi_tables().at("error-codes"), "simulator/onshi/data/error-codes.yaml");
    return table;
}

const std::string& default_dataset_text() { return embedded_onshi_tables().at("default-dataset"); }

const ErrorEntry& ErrorTable::at(std::string_view key) const {
    for (const auto& e : entries_)
        if (e.key == key) return e;
    throw std::out_of_range("no error '" + std::string(key) + "' in the error table");
}

}  // namespace mynasim::onshi
