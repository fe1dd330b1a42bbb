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
#include "onshi/wire/element_names.hpp"
#include "onshi/wire/xml_text.hpp"
#include "onshi/wire/xml_writer.hpp"

namespace mynasim::onshi {

namespace fs = std::filesystem;

namespace {

constexpr const char* single_root = element::QualificationConfirmationRequest;
constexpr const char* single_answer_root = element::QualificationConfirmationResponse;
constexpr const char* bulk_root = element::BulkQualificationConfirmationRequest;
constexpr const char* bulk_answer_root = element::BulkQualificationConfirmationResponse;

// How the journal names a file request: by where the reception put it.
std::string journal_call(const std::string& request_name) { return std::string(request_folder) + "/" + request_name; }

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

// The reader's answer as the file interface reports it: the service's answer read back, with how the patient
// was confirmed added after the status (at the end, should there be none) and, for a waiting reception,
// that reception's identifier; nullopt when the answer cannot be read.
std::optional<std::string> reader_answer(const ReaderConfirmation& event, const std::string* file_identifier, bool shift_jis) {
    pugi::xml_document doc;
    if (!doc.load_string(event.response_utf8.c_str()) || !doc.first_child()) return std::nullopt;
    const auto root = doc.first_child();
    const auto identifier = root.child(element::ArbitraryFileIdentifier);
    const auto status = root.child(element::ProcessingResultStatus);
    XmlWriter out(root.name());
    const auto add_reader_fields = [&] {
        out.element(element::Mode, event.mode)
            .element(element::FaceResult, event.face_result)
            .element(element::Registration, event.registration ? "1" : "0");
    };
    for (const auto child : root.children()) {
        if (child.type() != pugi::node_element) continue;
        if (file_identifier && child == identifier) out.element(element::ArbitraryFileIdentifier, *file_identifier);
        else out.copy(child);
        if (child == status) add_reader_fields();
    }
    if (!status) add_reader_fields();
    return out.finish(shift_jis);
}

// Where a request handed on to the service gets `<Mode>card</Mode>`, the file interface's default (the
// service reads the first Mode: a single request's empty Mode before its identifier still counts).
enum class CardMode { Given, AfterIdentifier, First };

// A request handed on to the service, written as the service reads it: the root's child elements by name
// and first text (child_value), all it looks at; Mode card added where `card_mode` says (after the
// identifier: first without one); `drop_charset`: without the first CharacterCodeIdentifier; `date` added
// at the end unless the request has a ConfirmationDate.
std::string handed_on(pugi::xml_node request, CardMode card_mode, bool drop_charset = false, const std::string& date = {}) {
    XmlWriter out(element::QualificationConfirmationRequest);
    const auto identifier = card_mode == CardMode::AfterIdentifier ? request.child(element::ArbitraryFileIdentifier) : pugi::xml_node();
    if (card_mode == CardMode::First || (card_mode == CardMode::AfterIdentifier && !identifier)) out.element(element::Mode, "card");
    for (const auto child : request.children()) {
        if (child.type() != pugi::node_element) continue;
        if (drop_charset && std::string_view(child.name()) == element::CharacterCodeIdentifier) {
            drop_charset = false;
            continue;
        }
        out.element(child.name(), child.child_value());
        if (identifier && child == identifier) out.element(element::Mode, "card");
    }
    if (!date.empty() && !request.child(element::ConfirmationDate)) out.element(element::ConfirmationDate, date);
    return out.finish();
}

}  // namespace

FileDrop::FileDrop(Service& service, Journal& journal, Clock clock, FileDropOptions options, const ErrorTable& errors)
    : service_(service), journal_(journal), clock_(std::move(clock)), options_(std::move(options)), errors_(errors),
      requests_(options_.root / request_folder), answers_(options_.root / answer_folder), faces_(options_.root / face_folder),
      rejected_(options_.root / rejected_folder) {}

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
            return reject(request_name, rejection, "malformed_request", "the file name must be " + request_file_name_rule(), *bytes);
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
    if (!root)
        return reject(request_name, name.rejection_name, "malformed_request", std::string("the root element must be ") + single_root, utf8);
    const std::string file_identifier = root.child_value(element::ArbitraryFileIdentifier);
    const std::string mode = root.child_value(element::Mode);
    const std::string charset = root.child_value(element::CharacterCodeIdentifier);
    if (mode == "reader") {
        // Wait for the patient at the reader: answered by the next confirmation made there, or by a timeout.
        if (!charset.empty() && charset != "0" && charset != "1")
            return reject(request_name, name.rejection_name, "unsupported_charset", "CharacterCodeIdentifier must be 0 or 1", utf8);
        auto wait_for = options_.reader_wait;
        if (const std::string seconds = root.child_value(element::WaitSeconds); !seconds.empty()) {
            if (seconds.size() > 4 || seconds.find_first_not_of("0123456789") != std::string::npos || std::stoi(seconds) < 1 ||
                std::stoi(seconds) > 3600)
                return reject(request_name, name.rejection_name, "malformed_request",
                              "WaitSeconds must be 1 to 3600, found '" + seconds + "'", utf8);
            wait_for = std::chrono::seconds(std::stoi(seconds));
        }
        in_flight_.insert(request_name);
        reader_waits_.push_back(ReaderWait{request_name, name, file_identifier, file_identifier, charset == "1",
                                           SteadyClock::now() + wait_for});
        journal_.record(clock_(), file_identifier, journal_call(request_name), 202, utf8, "waiting for the reader", "");
        return;
    }
    if (!mode.empty() && mode != "card") {
        return reject(request_name, name.rejection_name, "malformed_request",
                      "Mode must be card (the default) or reader in the file interface, found '" + mode +
                          "': pin and pinless confirmations are made at the reader",
                      utf8);
    }
    const auto card_mode = mode.empty() ? CardMode::AfterIdentifier : CardMode::Given;
    const auto answer_from_service =
        service_.handle(HttpRequest{"POST", "/v1/confirmations", handed_on(root, card_mode), {}, file_identifier});
    // A request the service could not read is a rejected file; any other error is a processed answer.
    pugi::xml_document answer_doc;
    std::string code;
    if (answer_doc.load_string(xml_as_utf8(answer_from_service.body).value_or("").c_str()))
        code = answer_doc.child(single_answer_root).child_value(element::ErrorCode);
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
        return reject(request_name, name.rejection_name, "malformed_request", std::string("the root element must be ") + bulk_root, utf8,
                      bulk_answer_root);
    BulkJob job;
    job.request_name = request_name;
    job.name = name;
    job.file_identifier = root.child_value(element::ArbitraryFileIdentifier);
    job.tag = job.file_identifier;
    job.date = root.child_value(element::ConfirmationDate);
    const std::string charset = root.child_value(element::CharacterCodeIdentifier);
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
                          "a bulk request holds at most " + std::to_string(options_.max_bulk_items) + " " + single_root, utf8,
                          bulk_answer_root);
        // Items are card confirmations (Mode card first, unless they name one) answered in the bulk answer's
        // encoding (theirs is left out), on the bulk's date unless they name one.
        const bool without_mode = std::string_view(item.child_value(element::Mode)).empty();
        job.items.push_back(handed_on(item, without_mode ? CardMode::First : CardMode::Given, true, job.date));
    }
    if (job.items.empty())
        return reject(request_name, name.rejection_name, "malformed_request", std::string("a bulk request needs at least one ") + single_root,
                      utf8, bulk_answer_root);
    // First answer: accepted, still processing (SegmentOfResult 2); the final answer replaces it.
    XmlWriter ack(bulk_answer_root);
    ack.element(element::ArbitraryFileIdentifier, job.file_identifier)
        .element(element::SegmentOfResult, "2")
        .element(element::ProcessingResultStatus, "1")
        .element(element::RequestCount, std::to_string(job.items.size()));
    const std::string ack_text = ack.finish(job.shift_jis);
    write_file_atomically(answers_ / name.answer_name, ack_text);
    journal_.record(clock_(), job.tag, journal_call(request_name), 202, utf8, ack_text, "");
    in_flight_.insert(request_name);
    job.due = SteadyClock::now() + options_.bulk_delay;
    bulk_jobs_.push_back(std::move(job));
}

void FileDrop::finish_bulk(const BulkJob& job) {
    XmlWriter out(bulk_answer_root);
    out.element(element::ArbitraryFileIdentifier, job.file_identifier)
        .element(element::SegmentOfResult, "1")
        .element(element::ProcessingResultStatus, "1")
        .element(element::RequestCount, std::to_string(job.items.size()))
        .open(element::ResultList);
    for (const auto& item : job.items) {
        const auto one = service_.handle(HttpRequest{"POST", "/v1/confirmations", item, {}, job.tag});
        pugi::xml_document answer_doc;
        if (answer_doc.load_string(one.body.c_str()) && answer_doc.child(single_answer_root)) {
            out.copy(answer_doc.child(single_answer_root));
        } else {
            out.open(single_answer_root);
            write_error(out, errors_.at("internal_error"), "", "unreadable answer for one item").close();
        }
    }
    const std::string text = out.finish(job.shift_jis);
    in_flight_.erase(job.request_name);
    answer(job.request_name, job.name.answer_name, text, 200, job.tag, "(bulk of " + std::to_string(job.items.size()) + ")");
}

void FileDrop::answer_reader_wait(const ReaderWait& wait, const ReaderConfirmation* event) {
    in_flight_.erase(wait.request_name);
    auto text = event ? reader_answer(*event, &wait.file_identifier, wait.shift_jis) : std::nullopt;
    int status = event ? event->status : 408;
    if (!text) {
        const auto& entry = errors_.at("reader_timeout");
        const char* detail = event ? "the reader's answer could not be read" : "no confirmation at the reader within the wait";
        text = in_answer_encoding(error_answer(single_answer_root, entry, wait.file_identifier, detail), wait.shift_jis);
        status = entry.http_status;
    }
    answer(wait.request_name, wait.name.answer_name, *text, status, wait.tag, "(waited for the reader)");
}

void FileDrop::write_face(const ReaderConfirmation& event) {
    const auto text = reader_answer(event, nullptr, false);
    if (!text) return;
    const std::string stamp = format_compact_time(clock_());
    std::string name;
    do {
        name = face_file_name(stamp, ++face_sequence_);
    } while (fs::exists(faces_ / name));
    write_file_atomically(faces_ / name, *text);
}

void FileDrop::answer(const std::string& request_name, const std::string& answer_name, const std::string& body, int status,
                      const std::string& tag, const std::string& request_text, bool rejected) {
    // Journaled first: whoever sees the answer file can already find the exchange in the journal.
    journal_.record(clock_(), tag, journal_call(request_name), status, request_text, xml_as_utf8(body).value_or(body),
                    rejected ? "rejected" : "");
    write_file_atomically(answers_ / answer_name, body);
    // Only now is the request done with: a crash before this point answers it again at the next start.
    const fs::path request = requests_ / request_name;
    const int rc = rejected ? ::rename(request.c_str(), (rejected_ / request_name).c_str()) : ::unlink(request.c_str());
    if (rc != 0 && errno != ENOENT)
        std::cerr << "file interface: "
                  << system_error(rejected ? std::string("cannot move to ") + rejected_folder + "/:" : std::string("cannot remove"), request)
                  << std::endl;
}

void FileDrop::reject(const std::string& request_name, const std::string& rejection_name, const std::string& error_key,
                      const std::string& detail, const std::string& request_text, const char* root) {
    std::string file_identifier;
    pugi::xml_document request;  // echo the identifier when the request is readable enough to have one
    if (request.load_string(request_text.c_str())) file_identifier = request.first_child().child_value(element::ArbitraryFileIdentifier);
    const auto& entry = errors_.at(error_key);
    answer(request_name, rejection_name, error_answer(root, entry, file_identifier, detail), entry.http_status, file_identifier,
           request_text, true);
}

}  // namespace mynasim::onshi
