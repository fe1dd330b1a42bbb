#include "code_tables.hpp"

#include <set>
#include <stdexcept>

#include "base/yaml_strict.hpp"

namespace mynasim::onshi {

// Generated from simulator/onshi/codes/*.yaml (cmake/embed_files.cmake).
const std::map<std::string, std::string>& embedded_code_tables();

bool CodeTable::contains(std::string_view code) const {
    for (const auto& value : values)
        if (value.code == code) return true;
    return false;
}

const CodeValue* CodeTable::find(std::string_view code) const {
    for (const auto& value : values)
        if (value.code == code) return &value;
    return nullptr;
}

std::string CodeTable::listing() const {
    std::string text;
    // A meaning the sources do not give ("(meaning not …)") is left out: the codes alone say it.
    for (const auto& value : values)
        text += (text.empty() ? "" : ", ") + value.code + (value.meaning.starts_with("(") ? "" : " " + value.meaning);
    return text;
}

namespace {

// A value's only_with, checked once every table is read (it may name an element of a later table).
struct Condition {
    std::string table, code, element;
    std::vector<std::string> codes;
    yaml::SourceLocation where;
};

CodeTable parse_table(const std::string& text, const std::string& file, std::vector<Condition>& conditions) {
    const auto doc = yaml::Document::from_text(text, file);
    const auto& root = doc.root();
    doc.expect_map(root, "a code table");
    doc.check_keys(root, {"table", "id", "source", "elements", "values"}, "a code table");
    for (const char* required : {"table", "source", "elements", "values"})
        if (!root[required]) doc.fail(root, std::string("a code table needs '") + required + "'");
    CodeTable table;
    table.name = doc.string_value(root["table"], "table");
    if (root["id"]) table.id = doc.string_value(root["id"], "id");
    table.source = doc.string_value(root["source"], "source");
    doc.expect_sequence(root["elements"], "elements");
    for (const auto& element : root["elements"]) table.elements.push_back(doc.string_value(element, "an element"));
    doc.expect_sequence(root["values"], "values");
    std::set<std::string> seen;
    for (const auto& item : root["values"]) {
        doc.expect_map(item, "a value");
        doc.check_keys(item, {"code", "meaning", "only_with"}, "a value");
        if (!item["code"] || !item["meaning"]) doc.fail(item, "a value needs 'code' and 'meaning'");
        CodeValue value{doc.string_value(item["code"], "code"), doc.string_value(item["meaning"], "meaning"), {}};
        if (const auto only = item["only_with"]) {
            doc.expect_map(only, "only_with");
            for (const auto& pair : only) {
                const std::string element = doc.string_value(pair.first, "an element");
                doc.expect_sequence(pair.second, "only_with." + element);
                auto& codes = value.only_with[element];
                for (const auto& code : pair.second) codes.push_back(doc.string_value(code, "a code"));
                if (codes.empty()) doc.fail(pair.second, "only_with." + element + " needs at least one code");
                conditions.push_back({table.name, value.code, element, codes, doc.at(pair.first)});
            }
        }
        if (value.code.empty()) doc.fail(item["code"], "code must not be empty");
        if (!seen.insert(value.code).second) doc.fail(item["code"], "code '" + value.code + "' appears twice");
        table.values.push_back(std::move(value));
    }
    if (table.values.empty()) doc.fail(root["values"], "a code table needs at least one value");
    return table;
}

}  // namespace

CodeTables CodeTables::parse(const std::map<std::string, std::string>& files, const std::string& folder) {
    CodeTables tables;
    std::set<std::string> names, elements;
    std::vector<Condition> conditions;
    for (const auto& [stem, text] : files) {
        const std::string file = folder + "/" + stem + ".yaml";
        auto table = parse_table(text, file, conditions);
        if (!names.insert(table.name).second)
            throw yaml::LoadError({file, 1, 1}, "table '" + table.name + "' is defined twice");
        for (const auto& element : table.elements)
            if (!elements.insert(element).second)
                throw yaml::LoadError({file, 1, 1}, "element '" + element + "' takes its codes from two tables");
        tables.tables_.push_back(std::move(table));
    }
    tables.index();
    // A value's condition names an element with a table, and codes of that table.
    for (const auto& c : conditions) {
        const auto* other = tables.for_element(c.element);
        if (!other) throw yaml::LoadError(c.where, c.table + " " + c.code + ": only_with names '" + c.element + "', which takes no code table");
        for (const auto& code : c.codes)
            if (!other->contains(code))
                throw yaml::LoadError(c.where, c.table + " " + c.code + ": only_with " + c.element + " '" + code + "' is not in " + other->name +
                                                   " (" + other->listing() + ")");
    }
    return tables;
}

void CodeTables::index() {
    for (std::size_t i = 0; i < tables_.size(); ++i)
        for (const auto& element : tables_[i].elements) by_element_.emplace(element, i);
}

const CodeTables& CodeTables::builtin() {
    static const CodeTables tables = parse(embedded_code_tables(), "simulator/onshi/codes");
    return tables;
}

const CodeTable& CodeTables::table(std::string_view name) const {
    for (const auto& table : tables_)
        if (table.name == name) return table;
    throw std::out_of_range("no code table '" + std::string(name) + "'");
}

const CodeTable* CodeTables::for_element(std::string_view element) const {
    const auto found = by_element_.find(element);
    return found == by_element_.end() ? nullptr : &tables_[found->second];
}

}  // namespace mynasim::onshi
