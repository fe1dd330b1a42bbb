#pragma once
// The file interface of the 資格確認端末 over a folder (docs/file-interface.md): reception systems drop
// XmlMsg requests into DIR/Req, the mock checks each strictly (request_check.hpp) and answers into DIR/Res,
// and writes a face file into DIR/Face after every confirmation made at the reader. Watches Req with
// inotify on its own thread and hands each request to the same Service as the HTTP API.
#include <chrono>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string_view>
#include <string>
#include <thread>

#include "onshi/adapters/bulk_job_book.hpp"
#include "onshi/adapters/journal.hpp"
#include "onshi/service/error_table.hpp"
#include "onshi/service/service.hpp"
#include "onshi/wire/file_names.hpp"
#include "onshi/wire/request_check.hpp"
#include "onshi/wire/xml_msg_writer.hpp"

namespace mynasim::onshi {

struct FileDropOptions {
    std::filesystem::path root;                // holds Req/, Res/, Face/ (any case; created if missing) and Rejected/
    std::size_t max_file_bytes = 1024 * 1024;  // larger requests are unreadable
    xmlmsg::Encoding face_encoding = xmlmsg::Encoding::ShiftJis;  // Shift_JIS is what clinics' terminals commonly write
    // Bulk (MODELED: the real terminal's timings are not public): a job is ready this long after step 1
    // (server clock); a ReceptionNumber answers for this long, then is refused as expired; step 2's answer
    // is a ZIP holding the XML when `bulk_zip`.
    std::int64_t bulk_ready_after_seconds = 10;
    std::int64_t bulk_keep_seconds = 7 * 24 * 3600;
    bool bulk_zip = false;
    // For the crash-safety test only: the process ends (exit 86, no cleanup) at this named point of a
    // bulk job ("bulk-job-kept", "bulk-accepted", "bulk-result-written"); from MYNASIM_CRASH_AT.
    std::string crash_at;
};

class FileDrop {
public:
    using Clock = std::function<UnixTime()>;  // the server's clock: journal times and face-file names
    FileDrop(Service& service, Journal& journal, Clock clock, FileDropOptions options);
    ~FileDrop();
    FileDrop(const FileDrop&) = delete;
    FileDrop& operator=(const FileDrop&) = delete;

    // Finds or creates the folders, starts watching, and answers the requests already waiting in Req.
    // Throws std::runtime_error naming the folder when it cannot.
    void start();
    void stop();
    // From any thread (the Service's reader observer): written to Face by the watcher thread.
    void reader_confirmation(const ReaderConfirmation& event);
    // The folders in use (their case as found on disk).
    const std::filesystem::path& request_folder_path() const { return requests_; }

private:
    void loop();
    void scan_requests(bool at_start);
    // `at_start`: found in Req when the server started (it may be one a crash cut short).
    void process(const std::string& request_name, bool at_start = false);
    // A checked, valid bulk request: step 1 keeps the job and answers its number; step 2 answers by it.
    void accept_bulk(const FileRequestName& name, const CheckedRequest& checked, const std::string& bytes, const std::string& text,
                     const std::string& tag, bool at_start);
    void answer_bulk_result(const FileRequestName& name, const CheckedRequest& checked, const std::string& text, const std::string& tag);
    void crash_point(std::string_view point) const;
    void write_face(const ReaderConfirmation& event);
    // Writes Res/<answer_name> atomically, journals the exchange with its findings, then removes the
    // request (or, when `keep`, moves it to Rejected/ unchanged, so nothing a reception wrote is lost).
    // With `zip_name`, the answer is written as that ZIP holding `answer_name`. `answered_point`: the crash
    // point between the answer and the request's removal.
    void answer(const std::string& request_name, const std::string& answer_name, const std::string& answer_text, int status,
                const std::string& tag, const std::string& request_text, const std::vector<Finding>& findings, bool keep,
                const std::string& zip_name = {}, std::string_view answered_point = {});
    std::string relative(const std::filesystem::path& path) const;  // "Req/<name>": never a host path

    Service& service_;
    Journal& journal_;
    Clock clock_;
    FileDropOptions options_;
    CheckSettings check_settings_;
    std::filesystem::path requests_, answers_, faces_, rejected_;
    std::optional<BulkJobBook> jobs_;  // in BulkJobs/, opened by start()
    int inotify_fd_ = -1;
    int wake_fd_ = -1;
    std::thread thread_;
    std::mutex events_mutex_;
    std::deque<ReaderConfirmation> reader_events_;
    bool stop_requested_ = false;  // under events_mutex_
    unsigned face_sequence_ = 0;    // watcher thread only
};

}  // namespace mynasim::onshi
