#pragma once
// The reference マイナンバーカード処理ソフト: each action of `mynasim client` as the real software does it,
// card through a CardChannel (PC/SC), server through OnshiClient. Never retries anything that could cost
// a PIN try. Outcomes carry the exit code, a JSON report (element names of ../shared/spec/onshi.md) and
// human-readable lines.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "client/answer_report.hpp"
#include "client/card_channel.hpp"
#include "client/onshi_client.hpp"

namespace mynasim::client {

enum class Mode { Pin, Pinless, InsuranceCard };

struct InsuranceCardFields {
    std::string insurer, symbol, number, branch, birth_date;
};

struct ConfirmationOrder {
    Mode mode = Mode::Pin;
    bool registration = false;  // 初回登録 first
    std::string pin;            // Mode::Pin
    std::string face;           // Mode::Pinless: matched (顔認証) | visual (目視)
    InsuranceCardFields card;   // Mode::InsuranceCard
    // OQSCD016: "" (not asked), "0" 同意なし, "1" 同意あり, "2" 同意有効期限切れ, "3" 同意取得困難
    std::string pharmaceutical_consent, checkup_consent;
    std::string treatment;  // MedicalTreatmentFlag (OQSCD028): "" (not said: 外来), "1"–"4"
    std::string file_identifier;
};

struct ClientSettings {
    std::function<std::unique_ptr<CardChannel>()> open_card;  // e.g. a PcscChannel on --reader
    ServerOptions server;
    Bytes institution_certificate;  // 特定機関 credential for PIN無し (the TEST one by default)
    std::shared_ptr<EVP_PKEY> institution_key;
};

class ReferenceClient {
public:
    explicit ReferenceClient(ClientSettings settings);
    Outcome confirm(const ConfirmationOrder& order);
    // 薬剤情報 / 特定健診情報: for an earlier visit's ConfirmationId, or after a confirmation with the consent.
    Outcome view(bool medications, const std::optional<std::string>& confirmation_id, const ConfirmationOrder& order);

    // レセプト振替: where a claim goes (the insurer valid on its date of care). No card involved.
    Outcome transfer_claim(const std::string& claim_id, const std::string& file_identifier);

private:
    ClientSettings settings_;
};

}  // namespace mynasim::client
