#pragma once
// The code tables of the file interface (別紙5-1 業務コード仕様 and the header's codes), one data file per
// table in simulator/onshi/codes/*.yaml (embedded at build time), each with its public source. The mock's
// answers, the request checker and the dataset loader all take their allowed values from here.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace mynasim::onshi {

struct CodeValue {
    std::string code;
    std::string meaning;
    // Allowed only when another element of the same request has one of these values (e.g. a consent
    // flag 3 only with MedicalTreatmentFlag 4); empty: always.
    std::map<std::string, std::vector<std::string>, std::less<>> only_with;
};

struct CodeTable {
    std::string name;                   // e.g. ConsentFlag
    std::string id;                     // e.g. OQSCD016, or empty when the spec gives none
    std::string source;                 // where the values come from
    std::vector<std::string> elements;  // the elements whose values it holds
    std::vector<CodeValue> values;

    bool contains(std::string_view code) const;
    const CodeValue* find(std::string_view code) const;  // nullptr when not in the table
    // "0 同意なし, 1 同意あり, 2 同意有効期限切れ, 3 同意取得困難": for messages that say what is allowed.
    std::string listing() const;
};

class CodeTables {
public:
    static const CodeTables& builtin();  // the shipped tables
    // `files`: {file stem -> YAML text}; `folder` names them in errors. Throws yaml::LoadError.
    static CodeTables parse(const std::map<std::string, std::string>& files, const std::string& folder);

    // By table name; throws std::out_of_range naming it (a missing table is a bug the unit tests catch).
    const CodeTable& table(std::string_view name) const;
    // The table that holds `element`'s values, or nullptr when the element takes no code.
    const CodeTable* for_element(std::string_view element) const;
    const std::vector<CodeTable>& tables() const { return tables_; }

private:
    void index();  // fills by_element_ once the tables are in place
    std::vector<CodeTable> tables_;
    std::map<std::string, std::size_t, std::less<>> by_element_;  // element -> index in tables_ (read per request)
};

}  // namespace mynasim::onshi
