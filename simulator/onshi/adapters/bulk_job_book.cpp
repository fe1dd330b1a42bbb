#include "bulk_job_book.hpp"

#include <iostream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "base/file_io.hpp"
#include "onshi/service/answer_builder.hpp"
#include "onshi/wire/xml_msg_fields.hpp"

namespace mynasim::onshi {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::string_view job_suffix = ".json";

template <class Record, std::size_t N>
json fields_json(const Record& record, const xmlmsg::Field<Record> (&fields)[N]) {
    json out = json::object();
    for (const auto& field : fields)
        if (!(record.*field.member).empty()) out[std::string(field.name)] = record.*field.member;
    return out;
}

template <class Record, std::size_t N>
Record fields_from(const json& object, const xmlmsg::Field<Record> (&fields)[N], const char* what) {
    if (!object.is_object()) throw std::runtime_error(std::string(what) + " is not an object");
    Record record{};
    for (const auto& field : fields)
        if (const auto found = object.find(std::string(field.name)); found != object.end()) record.*field.member = found->get<std::string>();
    return record;
}

}  // namespace

BulkJobBook::BulkJobBook(fs::path folder, std::int64_t forget_after_seconds) : folder_(std::move(folder)), forget_after_(forget_after_seconds) {}

std::string BulkJobBook::to_json(const BulkJob& job) {
    json searches = json::array();
    for (const auto& search : job.request.searches) searches.push_back(fields_json(search, xmlmsg::search_info_fields));
    json registrations = json::array();
    for (const auto& r : job.request.registrations) registrations.push_back(fields_json(r, xmlmsg::reference_registration_fields));
    const json out{{"reception_number", job.reception_number},
                   {"family", std::string(bulk_family_code(job.family))},
                   {"request_name", job.request_name},
                   {"request_sha256", job.request_sha256},
                   {"accepted_at", job.accepted_at},
                   {"ready_at", job.ready_at},
                   {"confirmation_date", job.confirmation_date},
                   {"shift_jis", job.shift_jis},
                   {"header", fields_json(job.request.header, xmlmsg::request_header_fields)},
                   {"range", fields_json(job.request.range, xmlmsg::range_search_fields)},
                   {"searches", std::move(searches)},
                   {"registrations", std::move(registrations)}};
    return out.dump();
}

BulkJob BulkJobBook::from_json(const std::string& text) {
    const json in = json::parse(text);  // throws json::parse_error, which names the byte
    BulkJob job;
    try {
        job.reception_number = in.at("reception_number").get<std::string>();
        const auto family = bulk_family_named(in.at("family").get<std::string>());
        if (!family) throw std::runtime_error("family '" + in.at("family").get<std::string>() + "' is no bulk family");
        job.family = *family;
        job.request_name = in.at("request_name").get<std::string>();
        job.request_sha256 = in.at("request_sha256").get<std::string>();
        job.accepted_at = in.at("accepted_at").get<UnixTime>();
        job.ready_at = in.at("ready_at").get<UnixTime>();
        job.confirmation_date = in.at("confirmation_date").get<std::string>();
        job.shift_jis = in.at("shift_jis").get<bool>();
        job.request.header = fields_from(in.at("header"), xmlmsg::request_header_fields, "header");
        job.request.range = fields_from(in.at("range"), xmlmsg::range_search_fields, "range");
        for (const auto& search : in.at("searches")) job.request.searches.push_back(fields_from(search, xmlmsg::search_info_fields, "a search"));
        for (const auto& r : in.value("registrations", json::array()))
            job.request.registrations.push_back(fields_from(r, xmlmsg::reference_registration_fields, "a registration"));
    } catch (const json::exception& e) {
        throw std::runtime_error(e.what());
    }
    if (job.reception_number.empty()) throw std::runtime_error("reception_number is empty");
    return job;
}

void BulkJobBook::open(UnixTime now) {
    std::error_code ec;
    fs::create_directories(folder_, ec);
    if (!fs::is_directory(folder_)) throw std::runtime_error("file interface: cannot create folder " + folder_.string());
    jobs_.clear();
    for (const auto& entry : fs::directory_iterator(folder_, ec)) {
        const std::string name = entry.path().filename().string();
        if (!name.empty() && name.front() == '.' && name.ends_with(".tmp")) {
            fs::remove(entry.path(), ec);  // a write a crash cut short: its job was never answered
            continue;
        }
        if (!name.ends_with(job_suffix) || !entry.is_regular_file(ec)) continue;
        try {
            auto job = from_json(read_file(entry.path()));
            if (now - job.accepted_at > forget_after_) {
                fs::remove(entry.path(), ec);
                continue;
            }
            const std::string number = job.reception_number;
            job.request.searches = {};  // read again when step 2 asks
            job.request.registrations = {};
            jobs_.insert_or_assign(number, std::move(job));
        } catch (const std::exception& e) {
            std::cerr << "file interface: " << folder_.filename().string() << "/" << name << " is no bulk job (left alone): " << e.what() << std::endl;
        }
    }
    sequence_ = jobs_.size();
}

const BulkJob* BulkJobBook::find(const std::string& reception_number) const {
    const auto found = jobs_.find(reception_number);
    return found == jobs_.end() ? nullptr : &found->second;
}

BulkJob BulkJobBook::whole(const BulkJob& job) const {
    const auto path = folder_ / (job.reception_number + std::string(job_suffix));
    try {
        return from_json(read_file(path));
    } catch (const std::exception& e) {
        throw std::runtime_error(path.filename().string() + ": " + e.what());
    }
}

const BulkJob* BulkJobBook::find_request(const std::string& request_name, const std::string& request_sha256) const {
    for (const auto& [number, job] : jobs_)
        if (job.request_name == request_name && job.request_sha256 == request_sha256) return &job;
    return nullptr;
}

std::string BulkJobBook::next_number(UnixTime accepted) {
    // MODELED (the real format is not public): the Japan time of acceptance and a 4-digit sequence, 18 digits.
    for (;;) {
        const std::string digits = std::to_string(10000 + (++sequence_ % 10000)).substr(1);
        std::string number = japan_compact_time(accepted) + digits;
        if (!jobs_.count(number)) return number;
    }
}

const BulkJob& BulkJobBook::add(BulkJob job) {
    job.reception_number = next_number(job.accepted_at);
    write_file_atomically(folder_ / (job.reception_number + std::string(job_suffix)), to_json(job));
    const std::string number = job.reception_number;
    job.request.searches = {};
    job.request.registrations = {};
    return jobs_.insert_or_assign(number, std::move(job)).first->second;
}

}  // namespace mynasim::onshi
