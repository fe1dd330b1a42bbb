#include "qualification_resolution.hpp"

#include <algorithm>

namespace mynasim::onshi {

namespace {

// YYYYMMDD dates compare as text; an empty end is open.
bool covers(const std::string& from, const std::string& to, const std::string& date) { return from <= date && (to.empty() || date <= to); }

}  // namespace

bool valid_on(const Qualification& q, const std::string& date) { return covers(q.valid_from, q.valid_to, date); }

bool welfare_without_ticket(const Qualification& q, const std::string& date) {
    if (q.classification != "A1") return false;
    for (const auto& t : q.tickets)
        if (covers(t.valid_from, t.valid_to, date)) return false;
    return true;
}

namespace {

std::size_t most_recent(const std::vector<Qualification>& history) {
    const auto newest = std::max_element(history.begin(), history.end(),
                                         [](const Qualification& a, const Qualification& b) { return a.valid_from < b.valid_from; });
    return static_cast<std::size_t>(newest - history.begin());
}

}  // namespace

Resolution resolve_for_person(const std::vector<Qualification>& history, const std::string& date) {
    if (history.empty()) return {"4", {}};
    Resolution r;
    for (std::size_t i = 0; i < history.size(); ++i)
        if (valid_on(history[i], date)) r.picked.push_back(i);
    if (r.picked.size() == 1) r.validity = welfare_without_ticket(history[r.picked.front()], date) ? "6" : "1";
    else if (r.picked.size() > 1) r.validity = "5";
    else r = Resolution{"2", {most_recent(history)}};
    return r;
}

Resolution resolve_for_card(const std::vector<Qualification>& history, std::size_t card, const std::string& date) {
    if (history.empty()) return {"4", {}};
    if (valid_on(history[card], date)) return {welfare_without_ticket(history[card], date) ? "6" : "1", {card}};
    Resolution r{"3", {card}};
    for (std::size_t i = 0; i < history.size(); ++i)
        if (i != card && valid_on(history[i], date)) r.picked.push_back(i);
    if (r.picked.size() == 1) r.validity = "2";
    return r;
}

}  // namespace mynasim::onshi
