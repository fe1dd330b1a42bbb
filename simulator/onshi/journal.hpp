#pragma once
// The server's journal: recent requests and answers, bounded in memory, queryable by scenario tag.
#include <deque>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "pki/test_time.hpp"

namespace mynasim::onshi {

class Journal {
public:
    static constexpr std::size_t capacity = 2000;
    static constexpr std::size_t body_limit = 4096;  // characters kept of each body

    // Plain values here; text and JSON are made only when someone reads the journal (recording is on
    // every request).
    void record(pki::UnixTime at, std::string tag, std::string call, int status, const std::string& request,
                const std::string& response, std::string note) {
        Entry e{at, std::move(tag), std::move(call), status, request.substr(0, body_limit),
                response.substr(0, body_limit), std::move(note)};
        std::lock_guard lock(mutex_);
        entries_.push_back(std::move(e));
        if (entries_.size() > capacity) entries_.pop_front();
    }
    // The most recent `max` entries (oldest first), only those with `tag` when it is not empty.
    nlohmann::json query(const std::string& tag, std::size_t max) const {
        std::lock_guard lock(mutex_);
        nlohmann::json out = nlohmann::json::array();
        for (auto it = entries_.rbegin(); it != entries_.rend() && out.size() < max; ++it) {
            if (!tag.empty() && it->tag != tag) continue;
            nlohmann::json j{{"at", pki::format_time(it->at)},           {"tag", it->tag},          {"call", it->call},
                             {"status", it->status},   {"request", it->request},  {"response", it->response}};
            if (!it->note.empty()) j["fault"] = it->note;
            out.insert(out.begin(), std::move(j));
        }
        return out;
    }
    void clear() {
        std::lock_guard lock(mutex_);
        entries_.clear();
    }

private:
    struct Entry {
        pki::UnixTime at;
        std::string tag, call;
        int status;
        std::string request, response, note;
    };
    mutable std::mutex mutex_;
    std::deque<Entry> entries_;
};

}  // namespace mynasim::onshi
