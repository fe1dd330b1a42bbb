#include "counter_store.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>

namespace mynasim::state {

std::map<std::string, int> load_counters(const std::filesystem::path& path) {
    std::map<std::string, int> counters;
    std::ifstream in(path);
    if (!in) {
        if (std::filesystem::exists(path)) throw StateError(path.string() + ": cannot read the counter file");
        return counters;
    }
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.empty() || line[0] == '#') continue;
        const auto equals = line.find('=');
        int value = -1;
        if (equals != std::string::npos) {
            const char* begin = line.data() + equals + 1;
            const char* end = line.data() + line.size();
            auto [ptr, ec] = std::from_chars(begin, end, value);
            if (ec != std::errc() || ptr != end) value = -1;
        }
        if (equals == std::string::npos || equals == 0 || value < 0 || value > 15)
            throw StateError(path.string() + ":" + std::to_string(number) +
                             ": expected '<pin id>=<tries left 0-15>', found '" + line + "'");
        counters[line.substr(0, equals)] = value;
    }
    return counters;
}

void save_counters(const std::filesystem::path& path, const std::map<std::string, int>& counters) {
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
    const auto temporary = std::filesystem::path(path.string() + ".tmp");
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << "# mynasim persistent PIN retry counters\n";
        for (const auto& [id, tries] : counters) out << id << '=' << tries << '\n';
        out.flush();
        if (!out) throw StateError(temporary.string() + ": cannot write the counter file");
    }
    std::filesystem::rename(temporary, path);
}

void restore_counters(const card::CardDefinition& definition, card::CardState& state,
                      const std::map<std::string, int>& saved) {
    for (const auto& pin : definition.pins) {
        auto it = saved.find(pin.id);
        if (it != saved.end()) state.tries_left[pin.id] = std::clamp(it->second, 0, pin.policy.max_tries);
    }
}

}  // namespace mynasim::state
