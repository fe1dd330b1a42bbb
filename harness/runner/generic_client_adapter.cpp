// Adapter for any client described in YAML (docs/client-adapter.md), so a vendor plugs in their own
// マイナンバーカード処理ソフト without writing C++.
#include <filesystem>
#include <map>

#include "client_adapter.hpp"
#include "base/yaml_strict.hpp"

namespace mynasim::harness {

namespace {

class GenericClientAdapter : public ClientAdapter {
public:
    std::string name_, identity_, folder_;
    std::vector<std::string> command_;
    std::map<std::string, std::string> environment_;
    bool json_output_ = true;
    std::map<int, std::string> results_;
    std::vector<std::pair<std::string, std::string>> fields_;  // report field ← dotted path in the client's JSON

    std::string name() const override { return name_; }
    std::string identity() const override { return identity_; }

    ClientCall command(const std::vector<std::string>& action, const BenchAddress& bench) const override {
        ClientCall call{{}, bench.pcsc_environment};
        for (const auto& [key, value] : environment_) call.environment[key] = value;
        const std::map<std::string, std::string> values{{"{server}", bench.server_url}, {"{files}", bench.files_dir},
                                                        {"{mynasim}", bench.mynasim_binary}, {"{dir}", folder_},
                                                        {"{reader}", bench.reader},
                                                        {"{action}", action.empty() ? std::string() : action.front()}};
        for (const auto& item : command_) {
            if (item == "{args}") {  // the action's options, one argument each
                if (action.size() > 1) call.argv.insert(call.argv.end(), action.begin() + 1, action.end());
                continue;
            }
            std::string expanded = item;
            for (const auto& [key, value] : values)
                for (auto at = expanded.find(key); at != std::string::npos; at = expanded.find(key, at + value.size()))
                    expanded.replace(at, key.size(), value);
            call.argv.push_back(expanded);
        }
        return call;
    }

    nlohmann::json read_output(int exit_code, const std::string& out, const std::string& err) const override {
        nlohmann::json report = nlohmann::json::object();
        if (json_output_) {
            try {
                auto parsed = nlohmann::json::parse(out);
                if (parsed.is_object()) report = std::move(parsed);
            } catch (const nlohmann::json::exception&) {
                report["text"] = out.substr(0, 4000);
            }
        } else {
            report["text"] = out.substr(0, 4000);
        }
        report["stderr"] = err.substr(0, 4000);
        for (const auto& [field, path] : fields_) {
            const nlohmann::json* node = &report;
            std::size_t start = 0;
            bool found = true;
            while (found && start <= path.size()) {
                const auto dot = path.find('.', start);
                const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
                if (!node->is_object() || !node->contains(key)) found = false;
                else node = &(*node)[key];
                if (dot == std::string::npos) break;
                start = dot + 1;
            }
            if (found) report[field] = *node;
        }
        if (!report.contains("result") || results_.count(exit_code)) {
            const auto known = results_.find(exit_code);
            report["result"] = known != results_.end() ? known->second : "exit " + std::to_string(exit_code);
        }
        return report;
    }
};

}  // namespace

std::unique_ptr<ClientAdapter> load_generic_client_adapter(const std::string& file) {
    const auto doc = yaml::Document::from_file(file);
    const auto& root = doc.root();
    doc.expect_map(root, "the client adapter");
    doc.check_keys(root, {"adapter", "name", "identity", "command", "environment", "output", "results", "fields"}, "the client adapter");
    if (!root["adapter"] || doc.int_value(root["adapter"], "adapter (format version)", 1, 1000) != 1)
        doc.fail(root, "a client adapter file starts with 'adapter: 1' (the format version)");
    auto adapter = std::make_unique<GenericClientAdapter>();
    adapter->folder_ = std::filesystem::absolute(file).parent_path().string();
    if (!root["name"]) doc.fail(root, "missing 'name'");
    adapter->name_ = doc.string_value(root["name"], "name");
    adapter->identity_ = root["identity"] ? doc.string_value(root["identity"], "identity") : adapter->name_;
    if (!root["command"]) doc.fail(root, "missing 'command' (the command line, a list: [program, args…])");
    doc.expect_sequence(root["command"], "command");
    for (const auto& item : root["command"]) adapter->command_.push_back(doc.string_value(item, "command item"));
    if (adapter->command_.empty()) doc.fail(root["command"], "the command line is empty");
    if (const auto env = root["environment"]) {
        doc.expect_map(env, "environment");
        for (const auto& item : env)
            adapter->environment_[doc.string_value(item.first, "environment key")] = doc.string_value(item.second, "environment value");
    }
    if (const auto output = root["output"]) {
        const std::string kind = doc.string_value(output, "output");
        if (kind != "json" && kind != "exit-code") doc.fail(output, "output must be json or exit-code, found '" + kind + "'");
        adapter->json_output_ = kind == "json";
    }
    if (const auto results = root["results"]) {
        doc.expect_map(results, "results (exit code: result name)");
        for (const auto& item : results)
            adapter->results_[static_cast<int>(doc.int_value(item.first, "results key (an exit code)", 0, 255))] =
                doc.string_value(item.second, "result name");
    }
    if (const auto fields = root["fields"]) {
        doc.expect_map(fields, "fields (report field: path in the client's JSON)");
        for (const auto& item : fields)
            adapter->fields_.emplace_back(doc.string_value(item.first, "fields key"), doc.string_value(item.second, "fields path"));
    }
    return adapter;
}

}  // namespace mynasim::harness
