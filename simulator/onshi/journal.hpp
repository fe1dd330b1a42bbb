#pragma once
// The server's journal: recent requests and answers, bounded in memory, queryable by scenario tag.
#include <deque>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

namespace mynasim::onshi {

class Journal {
public:
    static constexpr std::size_t capacity = 2000;
    static constexpr std::size_t body_limit = 4096;  // characters kept of each body

    void record(const std::string& at, const std::string& tag, const std::string& call, int status,
                const std::string& request, const std::string& response, const std::string& note) {
        std::lock_guard lock(mutex_);
        entries_.push_back({{"at", at}, {"tag", tag}, {"call", call}, {"status", status},
                            {"request", request.substr(0, body_limit)}, {"response", response.substr(0, body_limit)}});
        if (!note.empty()) entries_.back()["fault"] = note;
        if (entries_.size() > capacity) entries_.pop_front();
    }
    // The most recent `max` entries (oldest first), only those with `tag` when it is not empty.
    nlohmann::json query(const std::string& tag, std::size_t max) const {
        std::lock_guard lock(mutex_);
        nlohmann::json out = nlohmann::json::array();
        for (auto it = entries_.rbegin(); it != entries_.rend() && out.size() < max; ++it)
            if (tag.empty() || (*it)["tag"] == tag) out.insert(out.begin(), *it);
        return out;
    }
    void clear() {
        std::lock_guard lock(mutex_);
        entries_.clear();
    }

private:
    mutable std::mutex mutex_;
    std::deque<nlohmann::json> entries_;
};

}  // namespace mynasim::onshi
