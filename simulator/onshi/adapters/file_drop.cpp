#include "file_drop.hpp"

#include <algorithm>
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

#include <pugixml.hpp>

#include "base/file_io.hpp"
#include "base/time.hpp"
#include "onshi/service/error_answer.hpp"
#include "onshi/wire/xml_text.hpp"

namespace mynasim::onshi {

namespace fs = std::filesystem;

namespace {

constexpr const char* single_root = "QualificationConfirmationRequest";
constexpr const char* single_answer_root = "QualificationConfirmationResponse";
constexpr const char* bulk_root = "BulkQualificationConfirmationRequest";
constexpr const char* bulk_answer_root = "BulkQualificationConfirmationResponse";

std::string system_error(const std::string& what, const fs::path& path) {
    return what + " " + path.string() + ": " + std::strerror(errno);
}

// A regular file's bytes, at most `limit` (+1 so the caller sees it is over); nullopt if it is gone or no file.
std::optional<std::string> read_bounded(const fs::path& path, std::size_t limit, std::string& problem) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT) return std::nullopt;
        problem = system_error("cannot open", path);
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
            problem = system_error("cannot read", path);
            break;
        }
        if (n == 0) break;
        bytes.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return bytes;
}

bool is_date(const std::string& text) {
    return text.size() == 8 && text.find_first_not_of("0123456789") == std::string::npos;
}

// The reader's answer as the file interface reports it: how the patient was confirmed, added after the status.
void add_reader_fields(pugi::xml_node root, const ReaderConfirmation& event) {
    auto after = root.child("ProcessingResultStatus");
    auto mode = after ? root.insert_child_after("Mode", after) : root.append_child("Mode");
    mode.text().set(event.mode.c_str());
    root.insert_child_after("FaceResult", mode).text().set(event.face_result.c_str());
    root.insert_child_after("Registration", root.child("FaceResult")).text().set(event.registration ? "1" : "0");
}

}  // namespace

FileDrop::FileDrop(Service& service, Journal& journal, Clock clock, FileDropOptions options, const ErrorTable& errors)
    : service_(service), journal_(journal), clock_(std::move(clock)), options_(std::move(options)), errors_(errors),
      requests_(options_.root / "Req"), answers_(options_.root / "Res"), faces_(options_.root / "Face"),
      rejected_(options_.root / "Rejected") {}

FileDrop::~FileDrop() { stop(); }

void FileDrop::start() {
    for (const auto& folder : {requests_, answers_, faces_, rejected_}) {
        std::error_code ec;
        fs::create_directories(folder, ec);
        if (ec || !fs::is_directory(folder)) throw std::runtime_error("file interface: cannot create folder " + folder.string() +
                                                                      (ec ? ": " + ec.message() : ""));
    }
    inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (inotify_fd_ < 0) throw std::runtime_error(system_error("file interface: inotify for", requests_));
    // Close-after-write: a request written in place is complete; moved-in: written elsewhere and renamed.
    if (::inotify_add_watch(inotify_fd_, requests_.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF) < 0) {
        const std::string problem = system_error("file interface: cannot watch", requests_);
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
    scan_requests();  // requests dropped while the server was down
    alignas(struct inotify_event) char buffer[16384];
    for (;;) {
        pollfd fds[2] = {{inotify_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
        const int ready = ::poll(fds, 2, poll_timeout_ms());
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
                    if (!reader_waits_.empty()) {
                        const ReaderWait wait = reader_waits_.front();  // the oldest reception waiting gets this patient
                        reader_waits_.pop_front();
                        answer_reader_wait(wait, &event);
                    }
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
                        scan_requests();  // events were lost: look at what is there
                    } else if (event->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
                        std::cerr << "file interface: " << requests_.string()
                                  << " was removed or moved; requests are no longer watched" << std::endl;
                    } else if (event->len > 0) {
                        process(event->name);
                    }
                }
            }
        }
        run_due_jobs();
    }
}

int FileDrop::poll_timeout_ms() const {
    auto next = SteadyClock::time_point::max();
    if (!bulk_jobs_.empty()) next = std::min(next, bulk_jobs_.front().due);
    for (const auto& wait : reader_waits_) next = std::min(next, wait.deadline);
    if (next == SteadyClock::time_point::max()) return -1;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(next - SteadyClock::now()).count();
    return static_cast<int>(std::clamp<long long>(left + 1, 0, 60'000));
}

void FileDrop::run_due_jobs() {
    const auto now = SteadyClock::now();
    while (!bulk_jobs_.empty() && bulk_jobs_.front().due <= now) {
        const BulkJob job = std::move(bulk_jobs_.front());
        bulk_jobs_.pop_front();
        try {
            finish_bulk(job);
        } catch (const std::exception& e) {
            std::cerr << "file interface: " << e.what() << std::endl;
        }
    }
    for (auto it = reader_waits_.begin(); it != reader_waits_.end();) {
        if (it->deadline > now) {
            ++it;
            continue;
        }
        const ReaderWait wait = *it;
        it = reader_waits_.erase(it);
        try {
            answer_reader_wait(wait, nullptr);
        } catch (const std::exception& e) {
            std::cerr << "file interface: " << e.what() << std::endl;
        }
    }
}

void FileDrop::scan_requests() {
    std::error_code ec;
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(requests_, ec))
        if (entry.is_regular_file(ec)) names.push_back(entry.path().filename().string());
    if (ec) std::cerr << "file interface: cannot list " << requests_.string() << ": " << ec.message() << std::endl;
    std::sort(names.begin(), names.end());  // oldest-first is unknowable; name order is at least repeatable
    for (const auto& name : names) process(name);
}

void FileDrop::process(const std::string& request_name) {
    if (is_partial_file_name(request_name) || in_flight_.count(request_name)) return;
    try {
        std::string problem;
        const auto bytes = read_bounded(requests_ / request_name, options_.max_file_bytes, problem);
        if (!bytes) return;  // gone already, or not a regular file
        const auto name = parse_request_file_name(request_name);
        const std::string rejection = name ? name->rejection_name : rejection_name_for(request_name);
        if (!name)
            return reject(request_name, rejection, "malformed_request",
                          "the file name must be OQSsiquc01req_<id>.xml (single) or OQSmuquc01req_<id>.xml (bulk)", *bytes);
        if (!problem.empty()) return reject(request_name, rejection, "malformed_request", problem, *bytes);
        if (bytes->size() > options_.max_file_bytes)
            return reject(request_name, rejection, "malformed_request",
                          "the file is larger than " + std::to_string(options_.max_file_bytes) + " bytes", bytes->substr(0, 4096));
        const auto utf8 = xml_as_utf8(*bytes);
        if (!utf8)
            return reject(request_name, rejection, "unsupported_charset",
                          "the file is not in the encoding its XML declaration names (UTF-8 or Shift_JIS)", *bytes);
        if (name->kind == FileRequestKind::Single) return process_single(request_name, *name, *utf8);
        process_bulk(request_name, *name, *utf8);
    } catch (const std::exception& e) {
        std::cerr << "file interface: " << request_name << ": " << e.what() << std::endl;
    }
}

void FileDrop::process_single(const std::string& request_name, const FileRequestName& name, const std::string& utf8) {
    pugi::xml_document doc;
    const auto parsed = doc.load_buffer(utf8.data(), utf8.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed)
        return reject(request_name, name.rejection_name, "malformed_request",
                      std::string("XML: ") + parsed.description() + " at byte " + std::to_string(parsed.offset), utf8);
    auto root = doc.child(single_root);
    if (!root) return reject(request_name, name.rejection_name, "malformed_request", "the root element must be QualificationConfirmationRequest", utf8);
    const std::string file_identifier = root.child_value("ArbitraryFileIdentifier");
    const std::string mode = root.child_value("Mode");
    const std::string charset = root.child_value("CharacterCodeIdentifier");
    if (mode == "reader") {
        // Wait for the patient at the reader: answered by the next confirmation made there, or by a timeout.
        if (!charset.empty() && charset != "0" && charset != "1")
            return reject(request_name, name.rejection_name, "unsupported_charset", "CharacterCodeIdentifier must be 0 or 1", utf8);
        auto wait_for = options_.reader_wait;
        if (const std::string seconds = root.child_value("WaitSeconds"); !seconds.empty()) {
            if (seconds.size() > 4 || seconds.find_first_not_of("0123456789") != std::string::npos || std::stoi(seconds) < 1 ||
                std::stoi(seconds) > 3600)
                return reject(request_name, name.rejection_name, "malformed_request",
                              "WaitSeconds must be 1 to 3600, found '" + seconds + "'", utf8);
            wait_for = std::chrono::seconds(std::stoi(seconds));
        }
        in_flight_.insert(request_name);
        reader_waits_.push_back(ReaderWait{request_name, name, file_identifier, file_identifier, charset == "1",
                                           SteadyClock::now() + wait_for});
        journal_.record(clock_(), file_identifier, "Req/" + request_name, 202, utf8, "waiting for the reader", "");
        return;
    }
    if (mode.empty()) {
        auto identifier = root.child("ArbitraryFileIdentifier");  // the file interface's default is card
        (identifier ? root.insert_child_after("Mode", identifier) : root.prepend_child("Mode")).text().set("card");
    } else if (mode != "card") {
        return reject(request_name, name.rejection_name, "malformed_request",
                      "Mode must be card (the default) or reader in the file interface, found '" + mode +
                          "': pin and pinless confirmations are made at the reader",
                      utf8);
    }
    const auto answer_from_service = service_.handle(HttpRequest{"POST", "/v1/confirmations", render_xml(doc), {}, file_identifier});
    // A request the service could not read is a rejected file; any other error is a processed answer.
    pugi::xml_document answer_doc;
    std::string code;
    if (answer_doc.load_string(xml_as_utf8(answer_from_service.body).value_or("").c_str()))
        code = answer_doc.child(single_answer_root).child_value("ErrorCode");
    const bool rejected = code == errors_.at("malformed_request").code || code == errors_.at("unsupported_charset").code;
    answer(request_name, rejected ? name.rejection_name : name.answer_name, answer_from_service.body, answer_from_service.status,
           file_identifier, utf8, rejected);
}

void FileDrop::process_bulk(const std::string& request_name, const FileRequestName& name, const std::string& utf8) {
    pugi::xml_document doc;
    const auto parsed = doc.load_buffer(utf8.data(), utf8.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed)
        return reject(request_name, name.rejection_name, "malformed_request",
                      std::string("XML: ") + parsed.description() + " at byte " + std::to_string(parsed.offset), utf8, bulk_answer_root);
    const auto root = doc.child(bulk_root);
    if (!root)
        return reject(request_name, name.rejection_name, "malformed_request",
                      "the root element must be BulkQualificationConfirmationRequest", utf8, bulk_answer_root);
    BulkJob job;
    job.request_name = request_name;
    job.name = name;
    job.file_identifier = root.child_value("ArbitraryFileIdentifier");
    job.tag = job.file_identifier;
    job.date = root.child_value("ConfirmationDate");
    const std::string charset = root.child_value("CharacterCodeIdentifier");
    if (!charset.empty() && charset != "0" && charset != "1")
        return reject(request_name, name.rejection_name, "unsupported_charset", "CharacterCodeIdentifier must be 0 or 1", utf8,
                      bulk_answer_root);
    job.shift_jis = charset == "1";
    if (!job.date.empty() && !is_date(job.date))
        return reject(request_name, name.rejection_name, "malformed_request", "ConfirmationDate must be YYYYMMDD, found '" + job.date + "'",
                      utf8, bulk_answer_root);
    for (auto item : root.children(single_root)) {
        if (job.items.size() == options_.max_bulk_items)
            return reject(request_name, name.rejection_name, "malformed_request",
                          "a bulk request holds at most " + std::to_string(options_.max_bulk_items) + " QualificationConfirmationRequest",
                          utf8, bulk_answer_root);
        pugi::xml_document one;
        auto copy = one.append_copy(item);
        // Items are card confirmations answered in the bulk answer's encoding, on the bulk's date unless they name one.
        if (std::string(copy.child_value("Mode")).empty()) copy.prepend_child("Mode").text().set("card");
        copy.remove_child("CharacterCodeIdentifier");
        if (!job.date.empty() && !copy.child("ConfirmationDate")) copy.append_child("ConfirmationDate").text().set(job.date.c_str());
        job.items.push_back(render_xml(one));
    }
    if (job.items.empty())
        return reject(request_name, name.rejection_name, "malformed_request", "a bulk request needs at least one QualificationConfirmationRequest",
                      utf8, bulk_answer_root);
    // First answer: accepted, still processing (SegmentOfResult 2); the final answer replaces it.
    pugi::xml_document ack;
    auto ack_root = ack.append_child(bulk_answer_root);
    add_element(ack_root, "ArbitraryFileIdentifier", job.file_identifier);
    add_element(ack_root, "SegmentOfResult", "2");
    add_element(ack_root, "ProcessingResultStatus", "1");
    add_element(ack_root, "RequestCount", std::to_string(job.items.size()));
    const std::string ack_text = render_xml(ack, job.shift_jis);
    write_file_atomically(answers_ / name.answer_name, ack_text);
    journal_.record(clock_(), job.tag, "Req/" + request_name, 202, utf8, ack_text, "");
    in_flight_.insert(request_name);
    job.due = SteadyClock::now() + options_.bulk_delay;
    bulk_jobs_.push_back(std::move(job));
}

void FileDrop::finish_bulk(const BulkJob& job) {
    pugi::xml_document doc;
    auto root = doc.append_child(bulk_answer_root);
    add_element(root, "ArbitraryFileIdentifier", job.file_identifier);
    add_element(root, "SegmentOfResult", "1");
    add_element(root, "ProcessingResultStatus", "1");
    add_element(root, "RequestCount", std::to_string(job.items.size()));
    auto list = root.append_child("ResultList");
    for (const auto& item : job.items) {
        const auto one = service_.handle(HttpRequest{"POST", "/v1/confirmations", item, {}, job.tag});
        pugi::xml_document answer_doc;
        if (answer_doc.load_string(one.body.c_str()) && answer_doc.child(single_answer_root)) {
            list.append_copy(answer_doc.child(single_answer_root));
        } else {
            pugi::xml_document failed;
            fill_error(failed, single_answer_root, errors_.at("internal_error"), "", "unreadable answer for one item");
            list.append_copy(failed.child(single_answer_root));
        }
    }
    const std::string text = render_xml(doc, job.shift_jis);
    in_flight_.erase(job.request_name);
    answer(job.request_name, job.name.answer_name, text, 200, job.tag, "(bulk of " + std::to_string(job.items.size()) + ")");
}

void FileDrop::answer_reader_wait(const ReaderWait& wait, const ReaderConfirmation* event) {
    in_flight_.erase(wait.request_name);
    pugi::xml_document doc;
    int status = 408;
    if (!event || !doc.load_string(event->response_utf8.c_str()) || !doc.first_child()) {
        doc.reset();
        fill_error(doc, single_answer_root, errors_.at("reader_timeout"), wait.file_identifier,
                   event ? "the reader's answer could not be read" : "no confirmation at the reader within the wait");
        status = errors_.at("reader_timeout").http_status;
    } else {
        auto root = doc.first_child();
        root.child("ArbitraryFileIdentifier").text().set(wait.file_identifier.c_str());
        add_reader_fields(root, *event);
        status = event->status;
    }
    answer(wait.request_name, wait.name.answer_name, render_xml(doc, wait.shift_jis), status, wait.tag, "(waited for the reader)");
}

void FileDrop::write_face(const ReaderConfirmation& event) {
    pugi::xml_document doc;
    if (!doc.load_string(event.response_utf8.c_str()) || !doc.first_child()) return;
    add_reader_fields(doc.first_child(), event);
    const std::string stamp = format_compact_time(clock_());
    std::string name;
    do {
        name = face_file_name(stamp, ++face_sequence_);
    } while (fs::exists(faces_ / name));
    write_file_atomically(faces_ / name, render_xml(doc));
}

void FileDrop::answer(const std::string& request_name, const std::string& answer_name, const std::string& body, int status,
                      const std::string& tag, const std::string& request_text, bool rejected) {
    // Journaled first: whoever sees the answer file can already find the exchange in the journal.
    journal_.record(clock_(), tag, "Req/" + request_name, status, request_text, xml_as_utf8(body).value_or(body),
                    rejected ? "rejected" : "");
    write_file_atomically(answers_ / answer_name, body);
    // Only now is the request done with: a crash before this point answers it again at the next start.
    const fs::path request = requests_ / request_name;
    const int rc = rejected ? ::rename(request.c_str(), (rejected_ / request_name).c_str()) : ::unlink(request.c_str());
    if (rc != 0 && errno != ENOENT)
        std::cerr << "file interface: " << system_error(rejected ? "cannot move to Rejected/:" : "cannot remove", request) << std::endl;
}

void FileDrop::reject(const std::string& request_name, const std::string& rejection_name, const std::string& error_key,
                      const std::string& detail, const std::string& request_text, const char* root) {
    pugi::xml_document doc;
    std::string file_identifier;
    pugi::xml_document request;  // echo the identifier when the request is readable enough to have one
    if (request.load_string(request_text.c_str())) file_identifier = request.first_child().child_value("ArbitraryFileIdentifier");
    const auto& entry = errors_.at(error_key);
    fill_error(doc, root, entry, file_identifier, detail);
    answer(request_name, rejection_name, render_xml(doc), entry.http_status, file_identifier, request_text, true);
}

}  // namespace mynasim::onshi
