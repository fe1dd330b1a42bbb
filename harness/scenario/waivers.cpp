#include "waivers.hpp"

#include <fnmatch.h>

namespace mynasim::harness {

std::vector<Waiver> load_waivers(const std::filesystem::path& file) {
    const auto doc = yaml::Document::from_file(file.string());
    const auto& root = doc.root();
    doc.expect_map(root, "the waivers file");
    doc.check_keys(root, {"waivers", "entries"}, "the waivers file");
    if (!root["waivers"] || doc.int_value(root["waivers"], "waivers (format version)", 1, 1000) != 1)
        doc.fail(root, "the waivers file needs 'waivers: 1' (the format version)");
    std::vector<Waiver> out;
    if (!root["entries"]) return out;
    doc.expect_sequence(root["entries"], "entries");
    for (const auto& entry : root["entries"]) {
        doc.expect_map(entry, "a waiver");
        doc.check_keys(entry, {"id", "reason"}, "a waiver");
        if (!entry["id"]) doc.fail(entry, "a waiver needs 'id' (a case id or a glob)");
        if (!entry["reason"]) doc.fail(entry, "a waiver needs 'reason': a waived case must say why");
        Waiver w{doc.string_value(entry["id"], "id"), doc.string_value(entry["reason"], "reason"), doc.at(entry)};
        if (w.reason.empty()) doc.fail(entry["reason"], "the reason must not be empty");
        out.push_back(std::move(w));
    }
    return out;
}

const Waiver* find_waiver(const std::vector<Waiver>& waivers, const std::string& case_id) {
    for (const auto& w : waivers)
        if (w.id == case_id || ::fnmatch(w.id.c_str(), case_id.c_str(), 0) == 0) return &w;
    return nullptr;
}

}  // namespace mynasim::harness
