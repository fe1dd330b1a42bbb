// Adapter for OpenSC's tools, for card-level cases: the card as any PKCS#15 / PKCS#11 application sees it
// through the bench's pcscd. Actions: identify, read-certificate, login --pin N.
#include <filesystem>

#include "client_adapter.hpp"

namespace mynasim::harness {

namespace {

std::string pkcs11_module() {
    for (const char* candidate : {"/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so", "/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so",
                                  "/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so", "/usr/lib/opensc-pkcs11.so"})
        if (std::filesystem::exists(candidate)) return candidate;
    return "opensc-pkcs11.so";
}

class OpenscAdapter : public ClientAdapter {
public:
    std::string name() const override { return "opensc"; }
    std::string identity() const override { return "OpenSC tools (pkcs15-tool, pkcs11-tool with " + module_ + ")"; }

    ClientCall command(const std::vector<std::string>& action, const BenchAddress& bench) const override {
        ClientCall call{{}, bench.pcsc_environment};
        const std::string verb = action.empty() ? std::string() : action.front();
        std::string pin;
        for (std::size_t i = 1; i + 1 < action.size(); ++i)
            if (action[i] == "--pin") pin = action[i + 1];
        // -c default: the default card driver list, without a storm of probe APDUs from every driver.
        if (verb == "identify") {
            call.argv = {"pkcs15-tool", "-c", "default", "-D"};
        } else if (verb == "read-certificate") {
            call.argv = {"pkcs15-tool", "-c", "default", "--read-certificate", "01"};
        } else if (verb == "login" && !pin.empty()) {
            call.argv = {"pkcs11-tool", "--module", module_, "--slot-index", "0", "--login", "--pin", pin, "--list-objects"};
        } else {
            call.argv = {"/bin/sh", "-c", "echo \"opensc adapter: actions are identify, read-certificate, login --pin N\" >&2; exit 2"};
        }
        return call;
    }

    nlohmann::json read_output(int exit_code, const std::string& out, const std::string& err) const override {
        const std::string all = out + "\n" + err;
        std::string result = exit_code == 0 ? "ok" : "card_error";
        if (exit_code == 2 && err.find("opensc adapter:") != std::string::npos) result = "usage";
        else if (all.find("CKR_PIN_INCORRECT") != std::string::npos) result = "wrong_pin";
        else if (all.find("CKR_PIN_LOCKED") != std::string::npos) result = "pin_locked";
        else if (all.find("CKR_TOKEN_NOT_RECOGNIZED") != std::string::npos || all.find("Card is invalid or cannot be handled") != std::string::npos)
            result = "not_my_number_card";  // no OpenSC driver (JPKI included) takes the card
        else if (all.find("No smart card") != std::string::npos || all.find("CKR_TOKEN_NOT_PRESENT") != std::string::npos) result = "no_card";
        // pkcs15-tool -D succeeds on any card it can bind; only a JPKI binding is a My Number card.
        if (result == "ok" && out.find("PKCS#15 Card [") != std::string::npos && out.find("PKCS#15 Card [JPKI]") == std::string::npos)
            result = "not_my_number_card";
        nlohmann::json report{{"result", result}, {"text", out.substr(0, 4000)}, {"stderr", err.substr(0, 4000)}};
        if (out.find("-----BEGIN CERTIFICATE-----") != std::string::npos) report["certificate"] = "PEM";
        if (out.find("PKCS#15 Card [JPKI]") != std::string::npos) report["card"] = "JPKI";
        return report;
    }

private:
    std::string module_ = pkcs11_module();
};

}  // namespace

std::unique_ptr<ClientAdapter> make_opensc_adapter() { return std::make_unique<OpenscAdapter>(); }

}  // namespace mynasim::harness
