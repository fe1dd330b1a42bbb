#include "qualification_resolution.hpp"

#include <algorithm>

namespace mynasim::onshi {

bool valid_on(const Qualification& q, const std::string& date) {
    return q.valid_from <= date && (q.valid_to.empty() || date <= q.valid_to);
}

bool welfare_without_ticket(const Qualification& q, const std::string& date) {
    if (q.classification != "A1") return false;
    for (const auto& t : q.tickets)
        if (t.valid_from <= date && (t.valid_to.empty() || date <= t.valid_to)) return false;
    return true;
}

namespace {

bool same(const Qualification& a, const Qualification& b) {
    return a.insurer == b.insurer && a.symbol == b.symbol && a.number == b.number && a.branch == b.branch &&
           a.valid_from == b.valid_from;
}

const Qualification& most_recent(const std::vector<Qualification>& history) {
    return *std::max_element(history.begin(), history.end(),
                             [](const Qualification& a, const Qualification& b) { return a.valid_from < b.valid_from; });
}

}  // namespace

Resolution resolve_for_person(const std::vector<Qualification>& history, const std::string& date) {
    if (history.empty()) return {"4", {}};
    Resolution r;
    for (const auto& q : history)
        if (valid_on(q, date)) r.qualifications.push_back(q);
    if (r.qualifications.size() == 1) r.validity = welfare_without_ticket(r.qualifications.front(), date) ? "6" : "1";
    else if (r.qualifications.size() > 1) r.validity = "5";
    else r = Resolution{"2", {most_recent(history)}};
    return r;
}

Resolution resolve_for_card(const std::vector<Qualification>& history, const Qualification& card, const std::string& date) {
    if (history.empty()) return {"4", {}};
    if (valid_on(card, date)) return {welfare_without_ticket(card, date) ? "6" : "1", {card}};
    Resolution r{"3", {card}};
    for (const auto& q : history)
        if (!same(q, card) && valid_on(q, date)) r.qualifications.push_back(q);
    if (r.qualifications.size() == 1) r.validity = "2";
    return r;
}

}  // namespace mynasim::onshi
