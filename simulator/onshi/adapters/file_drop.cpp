#include "file_drop.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <stdexcept>

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>


#include "base/file_io.hpp"
#include "base/zip_file.hpp"
#include "crypto/digest.hpp"
#include "onshi/service/answer_builder.hpp"
#include "onshi/wire/finding_json.hpp"
#include "onshi/wire/xml_text.hpp"

namespace mynasim::onshi {

namespace fs = std::filesystem;

namespace {

std::string system_error(const std::string& what, const std::string& where) { return what + " " + where + ": " + std::strerror(errno); }


// What is at `path`, without following a symlink: a regular file, nothing (gone), or something else.
enum class EntryKind { Regular, Gone, Directory, Other };
EntryKind entry_kind(const fs::path& path, std::string& what) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) return EntryKind::Gone;
    if (S_ISREG(info.st_mode)) return EntryKind::Regular;
    if (S_ISDIR(info.st_mode)) return EntryKind::Directory;
    what = S_ISLNK(info.st_mode) ? "a symbolic link" : S_ISFIFO(info.st_mode) ? "a FIFO" : S_ISSOCK(info.st_mode) ? "a socket" : "a device";
    return EntryKind::Other;
}

// A regular file's bytes, at most `limit` + 1 (so the caller sees it is over); nullopt if it is gone or
// turned into something else meanwhile. Never follows a symlink, never blocks on a FIFO.
std::optional<std::string> read_bounded(const fs::path& path, std::size_t limit, std::string& problem) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT) return std::nullopt;
        problem = std::strerror(errno);
        return std::string();
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        return std::nullopt;
    }
    std::string bytes;
    char buffer[65536];
    while (bytes.size() <= limit) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            problem = std::strerror(errno);
            break;
        }
        if (n == 0) break;
        bytes.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return bytes;
}

}  // namespace

FileDrop::FileDrop(Service& service, Journal& journal, Clock clock, FileDropOptions options)
    : service_(service), journal_(journal), clock_(std::move(clock)), options_(std::move(options)) {
    check_settings_.institution_code = service_.settings().institution_code;
    check_settings_.utf8_code = service_.settings().utf8_code;
    check_settings_.shift_jis_code = service_.settings().shift_jis_code;
    check_settings_.max_bytes = options_.max_file_bytes;
    if (options_.crash_at.empty())
        if (const char* point = std::getenv("MYNASIM_CRASH_AT")) options_.crash_at = point;
}

void FileDrop::crash_point(std::string_view point) const {
    if (!options_.crash_at.empty() && options_.crash_at == point) std::_Exit(86);  // as a kill would: nothing flushed, nothing cleaned
}

FileDrop::~FileDrop() { stop(); }

void FileDrop::start() {
    std::error_code ec;
    fs::create_directories(options_.root, ec);
    requests_ = child_in_any_case(options_.root, request_folder);
    answers_ = child_in_any_case(options_.root, answer_folder);
    faces_ = child_in_any_case(options_.root, face_folder);
    rejected_ = child_in_any_case(options_.root, rejected_folder);
    const auto jobs_folder = child_in_any_case(options_.root, bulk_jobs_folder);
    for (const auto& folder : {requests_, answers_, faces_, rejected_}) {
        fs::create_directories(folder, ec);
        if (ec || !fs::is_directory(folder))
            throw std::runtime_error("file interface: cannot create folder " + folder.string() + (ec ? ": " + ec.message() : ""));
        // A crash between writing an answer's .<name>.tmp and renaming it leaves the temporary behind: it was
        // never an answer (the request is still in Req and is answered again below).
        if (folder != requests_)
            for (const auto& entry : fs::directory_iterator(folder, ec)) {
                const auto name = entry.path().filename().string();
                if (name.size() > 5 && name.front() == '.' && name.ends_with(".tmp")) fs::remove(entry.path(), ec);
            }
    }
    jobs_.emplace(jobs_folder, options_.bulk_keep_seconds * 4);  // kept 4 times as long as answered: "expired", not "unknown"
    jobs_->open(clock_());
    inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (inotify_fd_ < 0) throw std::runtime_error(system_error("file interface: inotify for", requests_.string()));
    // Close-after-write: a request written in place is complete; moved-in: written elsewhere and renamed;
    // created: only for what is no regular file (a FIFO or symlink is never "closed after writing").
    if (::inotify_add_watch(inotify_fd_, requests_.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE_SELF | IN_MOVE_SELF) < 0) {
        const std::string problem = system_error("file interface: cannot watch", requests_.string());
        ::close(inotify_fd_);
        inotify_fd_ = -1;
        throw std::runtime_error(problem);
    }
    wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd_ < 0) throw std::runtime_error("file interface: eventfd: " + std::string(std::strerror(errno)));
    thread_ = std::thread([this] { loop(); });
}

void FileDrop::stop() {
    if (!thread_.joinable()) return;
    {
        std::lock_guard lock(events_mutex_);
        stop_requested_ = true;
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(wake_fd_, &one, sizeof one);
    thread_.join();
    ::close(inotify_fd_);
    ::close(wake_fd_);
    inotify_fd_ = wake_fd_ = -1;
}

void FileDrop::reader_confirmation(const ReaderConfirmation& event) {
    {
        std::lock_guard lock(events_mutex_);
        reader_events_.push_back(event);
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(wake_fd_, &one, sizeof one);
}

void FileDrop::loop() {
    scan_requests(true);  // requests dropped while the server was down, or left by a crash
    alignas(struct inotify_event) char buffer[16384];
    for (;;) {
        pollfd fds[2] = {{inotify_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
        const int ready = ::poll(fds, 2, -1);
        if (ready < 0 && errno != EINTR) {
            std::cerr << "file interface: poll: " << std::strerror(errno) << std::endl;
            return;
        }
        if (fds[1].revents & POLLIN) {
            std::uint64_t count = 0;
            [[maybe_unused]] const auto n = ::read(wake_fd_, &count, sizeof count);
            std::deque<ReaderConfirmation> events;
            {
                std::lock_guard lock(events_mutex_);
                if (stop_requested_) return;
                events.swap(reader_events_);
            }
            for (const auto& event : events) {
                try {
                    write_face(event);
                } catch (const std::exception& e) {
                    std::cerr << "file interface: " << e.what() << std::endl;
                }
            }
        }
        if (fds[0].revents & POLLIN) {
            for (;;) {
                const ssize_t length = ::read(inotify_fd_, buffer, sizeof buffer);
                if (length <= 0) break;
                for (ssize_t offset = 0; offset < length;) {
                    const auto* event = reinterpret_cast<const struct inotify_event*>(buffer + offset);
                    offset += static_cast<ssize_t>(sizeof(struct inotify_event) + event->len);
                    if (event->mask & IN_Q_OVERFLOW) {
                        scan_requests(false);  // events were lost: look at what is there
                    } else if (event->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
                        std::cerr << "file interface: " << request_folder << " was removed or moved; requests are no longer watched" << std::endl;
                    } else if (event->len > 0 && !(event->mask & IN_ISDIR)) {
                        std::string what;
                        // A regular file is read when its writer closes it, not when it appears.
                        if ((event->mask & IN_CREATE) && entry_kind(requests_ / event->name, what) == EntryKind::Regular) continue;
                        process(event->name);
                    }
                }
            }
        }
    }
}

void FileDrop::scan_requests(bool at_start) {
    std::error_code ec;
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(requests_, ec))
        if (!entry.is_directory(ec)) names.push_back(entry.path().filename().string());
    if (ec) std::cerr << "file interface: cannot list " << request_folder << ": " << ec.message() << std::endl;
    std::sort(names.begin(), names.end());  // oldest-first is unknowable; name order is at least repeatable
    for (const auto& name : names) process(name, at_start);
}

std::string FileDrop::relative(const fs::path& path) const {
    const auto folder = path.parent_path().filename().string();
    return folder + "/" + path.filename().string();
}

void FileDrop::process(const std::string& request_name, bool at_start) {
    if (is_partial_file_name(request_name)) return;
    const fs::path path = requests_ / request_name;
    const std::string where = relative(path);
    try {
        const auto name = parse_request_file_name(request_name);
        const std::string rejection = name ? name->rejection_name : rejection_name_for(request_name);
        // A file that cannot be read: its .err carries the first error's code; the file goes to Rejected/.
        const auto refuse = [&](const std::vector<Finding>& findings, const std::string& text) {
            const auto error_found = std::find_if(findings.begin(), findings.end(), [](const Finding& f) { return f.severity == Severity::Error; });
            const auto& rule = request_rule(error_found == findings.end() ? findings.front().rule : error_found->rule);
            const auto error = service_.file_error(std::string(rule.error_key), nullptr, false);
            answer(request_name, rejection, xmlmsg::write_answer(error, xmlmsg::Encoding::Utf8), 400, "", text, findings, true);
        };
        std::string what;
        const auto kind = entry_kind(path, what);
        if (kind == EntryKind::Gone || kind == EntryKind::Directory) return;
        if (kind == EntryKind::Other)
            return refuse({make_finding("not-a-file", where, where + " is " + what + ": only regular files are read")}, "(" + what + ")");
        std::string problem;
        const bool bulk_list = name && name->kind == RequestKind::BulkSubmission;  // up to 10,000 searches: a larger limit
        const auto bytes = read_bounded(path, bulk_list ? check_settings_.max_bulk_bytes : options_.max_file_bytes, problem);
        if (!bytes) return;  // gone already, or no longer a regular file
        if (!problem.empty())
            return refuse({make_finding("not-a-file", where, "cannot read " + where + ": " + problem)}, "");
        if (!name)
            return refuse({make_finding("file-name", where, "'" + request_name + "' is not a request of this interface: the name must be " +
                                                           request_file_name_rule())},
                          bytes->substr(0, 4096));
        auto checked = check_request(*bytes, check_settings_, name->kind, name->family, name->viewing);
        if (!is_plain_id(name->id))
            checked.findings.insert(checked.findings.begin(),
                                    make_finding("file-name-characters", where, "the <id> '" + name->id + "' holds spaces or characters outside printable ASCII"));
        // The journal keeps the first 4096 characters of a request: a bulk list's megabytes are not converted for it.
        const std::string head = bytes->size() > 65536 ? bytes->substr(0, 65536) : *bytes;
        const std::string text = checked.unreadable() ? bytes->substr(0, 4096) : xml_as_utf8(head).value_or(head);
        const std::string tag = checked.header()  ? checked.header()->arbitrary_file_identifier
                                : checked.viewing ? checked.viewing->arbitrary_file_identifier
                                                  : "";
        const bool medications = name->viewing == ViewingKind::Medications;
        if (checked.unreadable()) return refuse(checked.findings, text);
        const bool shift_jis = checked.encoding == xmlmsg::Encoding::ShiftJis;
        if (const auto* error = checked.first_error()) {
            // The header is echoed, but never a date the check refused (the answer's date is then the terminal's).
            auto header = checked.header() ? *checked.header() : xmlmsg::RequestHeader{};  // none when the root is not XmlMsg
            for (const auto& f : checked.findings)
                if (f.severity == Severity::Error && f.where.ends_with("/QualificationConfirmationDate")) header.qualification_confirmation_date.clear();
            const std::string key(request_rule(error->rule).error_key);
            std::string answer_text;
            if (name->kind == RequestKind::Single || name->kind == RequestKind::ReferenceRegistration)  // the same header, an empty body
                answer_text = xmlmsg::write_answer(service_.file_error(key, &header, shift_jis), checked.encoding);
            else if (name->kind == RequestKind::Viewing)
                answer_text = xmlmsg::write_viewing_answer(service_.viewing_file_error(key, checked.viewing ? &*checked.viewing : nullptr, shift_jis),
                                                           medications, checked.encoding);
            else if (name->kind == RequestKind::BulkSubmission)
                answer_text = xmlmsg::write_bulk_acceptance(service_.bulk_error(key, &header, "", shift_jis), checked.encoding);
            else
                answer_text = xmlmsg::write_bulk_result(
                    service_.bulk_error(key, &header, checked.bulk_result ? checked.bulk_result->reception_number : "", shift_jis), checked.encoding);
            return answer(request_name, name->answer_name, answer_text, 400, tag, text, checked.findings, false);
        }
        if (name->kind == RequestKind::BulkSubmission) return accept_bulk(*name, checked, *bytes, text, tag, at_start);
        if (name->kind == RequestKind::BulkResult) return answer_bulk_result(*name, checked, text, tag);
        if (name->kind == RequestKind::ReferenceRegistration) {
            const auto registered = service_.register_reference(*checked.reference, shift_jis);
            const int status = registered.header.segment_of_result != "1" ? 500 : registered.outcome.processing_result_status == "1" ? 200 : 409;
            return answer(request_name, name->answer_name, xmlmsg::write_reference_answer(registered, checked.encoding), status, tag, text,
                          checked.findings, false);
        }
        if (name->kind == RequestKind::Viewing) {
            const auto viewed = service_.answer_viewing(*checked.viewing, medications, shift_jis);
            const int status = viewed.header.segment_of_result != "1" ? 500 : viewed.result_code == "1" ? 200 : 403;
            return answer(request_name, name->answer_name, xmlmsg::write_viewing_answer(viewed, medications, checked.encoding), status, tag, text,
                          checked.findings, false);
        }
        const auto answer_model = service_.answer_card_search(*checked.request, shift_jis);
        const int status = answer_model.header.segment_of_result == "1" && answer_model.body.processing_result_status == "1" ? 200 : 404;
        answer(request_name, name->answer_name, xmlmsg::write_answer(answer_model, checked.encoding), status, tag, text, checked.findings, false);
    } catch (const std::exception& e) {
        std::cerr << "file interface: " << where << ": " << e.what() << std::endl;
    }
}

void FileDrop::accept_bulk(const FileRequestName& name, const CheckedRequest& checked, const std::string& bytes, const std::string& text,
                           const std::string& tag, bool at_start) {
    const std::string digest = crypto::sha256_hex(bytes);
    // A step 1 already accepted that is still in Req at start (a crash came before it left) keeps its number;
    // the same name and bytes dropped anew while running (a daily list reusing its name) are a new job.
    const BulkJob* job = at_start ? jobs_->find_request(name.request_name, digest) : nullptr;
    if (!job) {
        BulkJob fresh;
        fresh.family = name.family;
        fresh.request_name = name.request_name;
        fresh.request_sha256 = digest;
        fresh.accepted_at = clock_();
        fresh.ready_at = fresh.accepted_at + options_.bulk_ready_after_seconds;
        fresh.confirmation_date = checked.bulk->header.qualification_confirmation_date.empty() ? japan_date(fresh.accepted_at)
                                                                                               : checked.bulk->header.qualification_confirmation_date;
        fresh.shift_jis = checked.encoding == xmlmsg::Encoding::ShiftJis;
        fresh.request = *checked.bulk;
        job = &jobs_->add(std::move(fresh));  // on disk before anyone is told its number
        crash_point("bulk-job-kept");
    }
    answer(name.request_name, name.answer_name, xmlmsg::write_bulk_acceptance(service_.bulk_acceptance(*job), checked.encoding), 202, tag,
           text, checked.findings, false, {}, "bulk-accepted");
}

void FileDrop::answer_bulk_result(const FileRequestName& name, const CheckedRequest& checked, const std::string& text, const std::string& tag) {
    const auto& request = *checked.bulk_result;
    const bool shift_jis = checked.encoding == xmlmsg::Encoding::ShiftJis;
    const BulkJob* job = jobs_->find(request.reception_number);
    const auto now = clock_();
    const auto refuse = [&](const char* key, int status) {
        answer(name.request_name, name.answer_name,
               xmlmsg::write_bulk_result(service_.bulk_error(key, &request.header, request.reception_number, shift_jis), checked.encoding), status,
               tag, text, checked.findings, false);
    };
    // A number given for another family is not this family's: unknown to it.
    if (!job || job->family != name.family) return refuse("reception_number_unknown", 404);
    if (now - job->accepted_at > options_.bulk_keep_seconds) return refuse("reception_number_expired", 410);
    if (now < job->ready_at)
        return answer(name.request_name, name.answer_name, xmlmsg::write_bulk_result(service_.bulk_pending(*job, request, shift_jis), checked.encoding),
                      202, tag, text, checked.findings, false);
    const auto result = service_.bulk_result(jobs_->whole(*job), request, shift_jis);
    const int status = result.header.segment_of_result == "1" ? 200 : 500;
    answer(name.request_name, name.answer_name, xmlmsg::write_bulk_result(result, checked.encoding), status, tag, text, checked.findings, false,
           options_.bulk_zip && status == 200 ? name.zip_answer_name : std::string(), "bulk-result-written");
}

void FileDrop::write_face(const ReaderConfirmation& event) {
    // A face file tells the reception who came to the reader: only confirmations the system processed.
    if (event.answer.header.segment_of_result != "1") return;
    auto answer = event.answer;
    answer.header.character_code_identifier = service_.charset_code(options_.face_encoding == xmlmsg::Encoding::ShiftJis);
    const std::string text = xmlmsg::write_answer(answer, options_.face_encoding);
    const std::string stamp = japan_compact_time(clock_());
    std::string name;
    do {
        name = face_file_name(service_.settings().institution_code, ++face_sequence_, stamp);
    } while (fs::exists(faces_ / name));
    write_file_atomically(faces_ / name, text);
}

void FileDrop::answer(const std::string& request_name, const std::string& answer_name, const std::string& answer_text, int status,
                      const std::string& tag, const std::string& request_text, const std::vector<Finding>& findings, bool keep,
                      const std::string& zip_name, std::string_view answered_point) {
    // Journaled first: whoever sees the answer file can already find the exchange in the journal (which
    // keeps the first 4096 characters: a bulk answer's megabytes are not converted for it).
    const std::string head = answer_text.size() > 65536 ? answer_text.substr(0, 65536) : answer_text;
    journal_.record(clock_(), tag, std::string(request_folder) + "/" + request_name, status, request_text, xml_as_utf8(head).value_or(head),
                    keep ? "rejected" : "", findings_json(findings).dump());
    if (zip_name.empty()) write_file_atomically(answers_ / answer_name, answer_text);
    else write_zip_atomically(answers_ / zip_name, answer_name, answer_text);
    crash_point(answered_point);
    // Only now is the request done with: a crash before this point answers it again at the next start.
    const fs::path request = requests_ / request_name;
    const int rc = keep ? ::rename(request.c_str(), (rejected_ / request_name).c_str()) : ::unlink(request.c_str());
    if (rc != 0 && errno != ENOENT)
        std::cerr << "file interface: "
                  << system_error(keep ? std::string("cannot move to ") + rejected_folder + "/:" : std::string("cannot remove"), relative(request))
                  << std::endl;
}

}  // namespace mynasim::onshi
