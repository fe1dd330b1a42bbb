#pragma once
// The file interface (連携アプリ style) over a folder: reception systems drop request XML into DIR/Req,
// the mock answers into DIR/Res, and reports confirmations made at the reader into DIR/Face. Watches Req
// with inotify on its own thread and hands each request to the same Service as the HTTP API.
// Naming, formats and timing: docs/onshi-files.md.
#include <chrono>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "onshi/service/error_table.hpp"
#include "onshi/wire/element_names.hpp"
#include "onshi/wire/file_names.hpp"
#include "onshi/adapters/journal.hpp"
#include "onshi/service/service.hpp"

namespace mynasim::onshi {

struct FileDropOptions {
    std::filesystem::path root;                             // holds Req/, Res/, Face/, Rejected/ (created if missing)
    std::chrono::milliseconds bulk_delay{1000};             // from the bulk request's SegmentOfResult 2 to its final answer
    std::chrono::seconds reader_wait{300};                  // default wait for the card at the reader
    std::size_t max_file_bytes = 1024 * 1024;               // larger requests are rejected
    std::size_t max_bulk_items = 1000;
};

class FileDrop {
public:
    using Clock = std::function<UnixTime()>;  // the server's clock: journal times and Face names
    FileDrop(Service& service, Journal& journal, Clock clock, FileDropOptions options,
             const ErrorTable& errors = ErrorTable::builtin());
    ~FileDrop();
    FileDrop(const FileDrop&) = delete;
    FileDrop& operator=(const FileDrop&) = delete;

    // Creates the folders, starts watching, and answers the requests already waiting in Req.
    // Throws std::runtime_error naming the folder when it cannot.
    void start();
    void stop();
    // From any thread (the Service's reader observer): written to Face and handed to a waiting reception.
    void reader_confirmation(const ReaderConfirmation& event);

private:
    using SteadyClock = std::chrono::steady_clock;
    struct BulkJob {
        std::string request_name;
        FileRequestName name;
        std::string file_identifier, date, tag;
        bool shift_jis = false;
        std::vector<std::string> items;  // each item as a UTF-8 QualificationConfirmationRequest
        SteadyClock::time_point due;
    };
    struct ReaderWait {
        std::string request_name;
        FileRequestName name;
        std::string file_identifier, tag;
        bool shift_jis = false;
        SteadyClock::time_point deadline;
    };

    void loop();
    void scan_requests();
    void process(const std::string& request_name);
    void process_single(const std::string& request_name, const FileRequestName& name, const std::string& utf8);
    void process_bulk(const std::string& request_name, const FileRequestName& name, const std::string& utf8);
    void finish_bulk(const BulkJob& job);
    void answer_reader_wait(const ReaderWait& wait, const ReaderConfirmation* event);
    void write_face(const ReaderConfirmation& event);
    void run_due_jobs();
    int poll_timeout_ms() const;
    // Answers (or rejects) a request: writes Res/<answer> atomically, journals, then removes Req/<request>
    // (a rejected one is moved to Rejected/, so nothing a reception wrote is lost).
    void answer(const std::string& request_name, const std::string& answer_name, const std::string& body, int status,
                const std::string& tag, const std::string& request_text, bool rejected = false);
    void reject(const std::string& request_name, const std::string& rejection_name, const std::string& error_key,
                const std::string& detail, const std::string& request_text, const char* root = element::QualificationConfirmationResponse);

    Service& service_;
    Journal& journal_;
    Clock clock_;
    FileDropOptions options_;
    const ErrorTable& errors_;
    std::filesystem::path requests_, answers_, faces_, rejected_;
    int inotify_fd_ = -1;
    int wake_fd_ = -1;
    std::thread thread_;
    std::mutex events_mutex_;
    std::deque<ReaderConfirmation> reader_events_;
    bool stop_requested_ = false;  // under events_mutex_
    // Watcher thread only:
    std::set<std::string> in_flight_;  // requests kept in Req until their final answer
    std::deque<BulkJob> bulk_jobs_;
    std::deque<ReaderWait> reader_waits_;
    unsigned face_sequence_ = 0;
};

}  // namespace mynasim::onshi
