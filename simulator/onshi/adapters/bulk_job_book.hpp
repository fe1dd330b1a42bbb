#pragma once
// The file interface's bulk jobs, kept in the interface's BulkJobs/ folder (docs/file-interface.md, "Bulk
// confirmation"): one JSON file per accepted job, written atomically and flushed BEFORE step 1 is answered,
// so a server killed at any point loses no job it answered, and after a restart every ReceptionNumber it
// gave still answers. Used by the file interface's watcher thread only. The book keeps each job's
// numbers and times in memory, not its list (up to 10,000 searches): whole() reads that from the file.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "onshi/service/bulk_job.hpp"

namespace mynasim::onshi {

class BulkJobBook {
public:
    // `forget_after`: a job file older than this (server clock) is deleted when the book is opened.
    BulkJobBook(std::filesystem::path folder, std::int64_t forget_after_seconds);

    // Reads every job in the folder; a file that cannot be read is reported (stderr) and left alone.
    // Leftovers of a write cut by a crash (.<name>.tmp) are removed.
    void open(UnixTime now);
    const BulkJob* find(const std::string& reception_number) const;  // without its searches
    // The job with its searches, read from its file. Throws std::runtime_error naming the file.
    BulkJob whole(const BulkJob& job) const;
    // The job already accepted for this request (same name, same bytes): a step 1 answered again.
    const BulkJob* find_request(const std::string& request_name, const std::string& request_sha256) const;
    // Gives the job its ReceptionNumber, writes it durably, and keeps it (without its searches). Throws on a
    // write error.
    const BulkJob& add(BulkJob job);
    std::size_t size() const { return jobs_.size(); }

    // A job as its file holds it, and back (exposed for tests). Throws std::runtime_error naming the field.
    static std::string to_json(const BulkJob& job);
    static BulkJob from_json(const std::string& text);

private:
    std::string next_number(UnixTime accepted);
    std::filesystem::path folder_;
    std::int64_t forget_after_;
    std::map<std::string, BulkJob> jobs_;  // by ReceptionNumber
    std::uint64_t sequence_ = 0;
};

}  // namespace mynasim::onshi
