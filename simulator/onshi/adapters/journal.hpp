#pragma once
// The server's journal: recent requests and answers, bounded in memory, queryable by scenario tag.
#include <algorithm>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/time.hpp"

namespace mynasim::onshi {

class Journal {
public:
    static constexpr std::size_t capacity = 2000;
    static constexpr std::size_t body_limit = 4096;  // characters kept of each body

    // Recording is on every request: entries are a ring whose strings are overwritten in place (once
    // the ring is full, no allocation and no freeing of another thread's memory), and the time is kept as
    // a number; text and JSON are made only when someone reads the journal.
    // `findings`: the request checker's findings as a JSON array text (file requests), or empty.
    void record(UnixTime at, std::string_view tag, std::string_view call, int status, std::string_view request,
                std::string_view response, std::string_view note, std::string_view findings = {}) {
        std::lock_guard lock(mutex_);
        if (entries_.size() < capacity) entries_.emplace_back();
        Entry& e = entries_[next_];
        next_ = (next_ + 1) % capacity;
        e.at = at;
        e.tag.assign(tag);
        e.call.assign(call);
        e.status = status;
        e.request.assign(request.substr(0, body_limit));
        e.response.assign(response.substr(0, body_limit));
        e.note.assign(note);
        e.findings.assign(findings);
    }
    // The most recent `max` entries (oldest first), only those with `tag` when it is not empty.
    nlohmann::json query(const std::string& tag, std::size_t max) const {
        std::lock_guard lock(mutex_);
        nlohmann::json out = nlohmann::json::array();
        for (std::size_t back = 1; back <= entries_.size() && out.size() < max; ++back) {
            const Entry& e = entries_[(next_ + capacity - back) % capacity];
            if (!tag.empty() && e.tag != tag) continue;
            nlohmann::json j{{"at", format_time(e.at)}, {"tag", e.tag},           {"call", e.call},
                             {"status", e.status},           {"request", e.request},   {"response", e.response}};
            if (!e.note.empty()) j["fault"] = e.note;
            if (!e.findings.empty()) j["findings"] = nlohmann::json::parse(e.findings, nullptr, false);
            out.insert(out.begin(), std::move(j));
        }
        return out;
    }
    void clear() {
        std::lock_guard lock(mutex_);
        entries_.clear();
        next_ = 0;
    }

private:
    struct Entry {
        UnixTime at = 0;
        std::string tag, call;
        int status = 0;
        std::string request, response, note, findings;
    };
    mutable std::mutex mutex_;
    std::vector<Entry> entries_;  // a ring once full; next_ is where the next entry goes
    std::size_t next_ = 0;
};

}  // namespace mynasim::onshi
