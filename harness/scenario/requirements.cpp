#include "requirements.hpp"

#include <fstream>
#include <regex>
#include <set>

#include "base/yaml_strict.hpp"

namespace mynasim::harness {

std::vector<Requirement> load_requirements(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw yaml::LoadError(yaml::SourceLocation{file.string(), 1, 1}, "cannot open the requirements list");
    std::vector<Requirement> out;
    std::set<std::string> seen;
    int number = 0;
    static const std::regex line_pattern(R"(^([A-Z][A-Z0-9-]*)\s+(\S+)\s+(.+)$)");
    for (std::string line; std::getline(in, line);) {
        ++number;
        if (line.empty() || line[0] == '#') continue;
        std::smatch match;
        if (!std::regex_match(line, match, line_pattern))
            throw yaml::LoadError(yaml::SourceLocation{file.string(), number, 1}, "expected 'ID  SOURCE  text', found '" + line + "'");
        if (!seen.insert(match[1]).second)
            throw yaml::LoadError(yaml::SourceLocation{file.string(), number, 1}, "duplicate requirement id '" + match[1].str() + "'");
        out.push_back({match[1], match[2], match[3]});
    }
    return out;
}

}  // namespace mynasim::harness
