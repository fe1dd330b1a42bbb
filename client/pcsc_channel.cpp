#include "pcsc_channel.hpp"

#include <future>
#include <thread>
#include <vector>

#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>

namespace mynasim::client {

namespace {

std::string describe(LONG rc) { return std::string(pcsc_stringify_error(rc)); }

// What a PC/SC result code means for the user.
CardFault fault_of(LONG rc) {
    switch (rc) {
    case SCARD_E_NO_SERVICE:
    case SCARD_E_SERVICE_STOPPED: return CardFault::NoService;
    case SCARD_E_NO_READERS_AVAILABLE:
    case SCARD_E_UNKNOWN_READER:
    case SCARD_E_READER_UNAVAILABLE: return CardFault::NoReader;
    case SCARD_E_NO_SMARTCARD: return CardFault::NoCard;
    case SCARD_W_REMOVED_CARD:
    case SCARD_W_RESET_CARD:
    case SCARD_E_NOT_TRANSACTED: return CardFault::Removed;
    case SCARD_W_UNRESPONSIVE_CARD:
    case SCARD_E_TIMEOUT: return CardFault::Mute;
    default: return CardFault::Other;
    }
}

}  // namespace

struct PcscChannel::Handles {
    SCARDCONTEXT context = 0;
    SCARDHANDLE card = 0;
    DWORD protocol = 0;
    bool in_transaction = false;
    bool stuck = false;  // a transmit outlived its timeout: leave the handles to the process's end
    ~Handles() {
        if (stuck) return;
        if (in_transaction) SCardEndTransaction(card, SCARD_LEAVE_CARD);
        if (card) SCardDisconnect(card, SCARD_LEAVE_CARD);
        if (context) SCardReleaseContext(context);
    }
};

PcscChannel::PcscChannel(const std::string& reader_name, std::chrono::milliseconds card_timeout)
    : handles_(std::make_shared<Handles>()), card_timeout_(card_timeout) {
    LONG rc = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &handles_->context);
    if (rc != SCARD_S_SUCCESS)
        throw CardError(fault_of(rc) == CardFault::Other ? CardFault::NoService : fault_of(rc),
                        "cannot reach the PC/SC daemon (pcscd" +
                            std::string(std::getenv("PCSCLITE_CSOCK_NAME") ? " at " + std::string(std::getenv("PCSCLITE_CSOCK_NAME")) : "") +
                            "): " + describe(rc));
    DWORD size = 0;
    rc = SCardListReaders(handles_->context, nullptr, nullptr, &size);
    std::vector<char> names(size > 0 ? size : 1, '\0');
    if (rc == SCARD_S_SUCCESS) rc = SCardListReaders(handles_->context, nullptr, names.data(), &size);
    if (rc != SCARD_S_SUCCESS) throw CardError(fault_of(rc) == CardFault::Other ? CardFault::NoReader : fault_of(rc),
                                               "no card reader: " + describe(rc));
    std::vector<std::string> readers;
    for (const char* p = names.data(); *p; p += std::string(p).size() + 1) readers.emplace_back(p);

    // The reader asked for, or the first one holding a card.
    std::string all;
    for (const auto& r : readers) all += (all.empty() ? "" : ", ") + ("'" + r + "'");
    std::vector<std::string> candidates;
    if (!reader_name.empty()) {
        for (const auto& r : readers)
            if (r == reader_name) candidates.push_back(r);
        if (candidates.empty()) throw CardError(CardFault::NoReader, "no reader named '" + reader_name + "' (readers: " + all + ")");
    } else {
        candidates = readers;
    }
    for (const auto& r : candidates) {
        SCARD_READERSTATE state{};
        state.szReader = r.c_str();
        state.dwCurrentState = SCARD_STATE_UNAWARE;
        if (SCardGetStatusChange(handles_->context, 0, &state, 1) != SCARD_S_SUCCESS) continue;
        if (!(state.dwEventState & SCARD_STATE_PRESENT)) continue;
        rc = SCardConnect(handles_->context, r.c_str(), SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
                          &handles_->card, &handles_->protocol);
        if (rc != SCARD_S_SUCCESS) throw CardError(fault_of(rc), "cannot connect to the card in '" + r + "': " + describe(rc));
        reader_ = r;
        break;
    }
    if (reader_.empty())
        throw CardError(CardFault::NoCard, reader_name.empty() ? "no card in any reader (readers: " + all + ")"
                                                               : "no card in reader '" + reader_name + "'");
    // One transaction for the session: no other program's APDUs come between ours.
    rc = SCardBeginTransaction(handles_->card);
    if (rc != SCARD_S_SUCCESS) throw CardError(fault_of(rc), "cannot begin a transaction on '" + reader_ + "': " + describe(rc));
    handles_->in_transaction = true;
}

PcscChannel::~PcscChannel() = default;

Bytes PcscChannel::transmit(const Bytes& command) {
    if (handles_->stuck) throw CardError(CardFault::Mute, "the card stopped answering earlier in this session");
    // SCardTransmit cannot be cancelled: it runs on its own thread, and we stop waiting at the timeout.
    auto handles = handles_;
    auto answer = std::make_shared<std::promise<std::pair<LONG, Bytes>>>();
    auto future = answer->get_future();
    std::thread([handles, answer, command] {
        Bytes response(65538);
        DWORD length = static_cast<DWORD>(response.size());
        const SCARD_IO_REQUEST* pci = handles->protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
        const LONG rc = SCardTransmit(handles->card, pci, command.data(), static_cast<DWORD>(command.size()), nullptr,
                                      response.data(), &length);
        response.resize(rc == SCARD_S_SUCCESS ? length : 0);
        answer->set_value({rc, std::move(response)});
    }).detach();
    if (future.wait_for(card_timeout_) != std::future_status::ready) {
        handles_->stuck = true;
        throw CardError(CardFault::Mute, "the card did not answer within " + std::to_string(card_timeout_.count()) +
                                             " ms (reader '" + reader_ + "', command " + to_hex(command).substr(0, 8) + "…)");
    }
    auto [rc, response] = future.get();
    if (rc != SCARD_S_SUCCESS) {
        const CardFault fault = fault_of(rc);
        throw CardError(fault, (fault == CardFault::Removed ? "the card was removed from '" : "card error in '") + reader_ +
                                   "': " + describe(rc));
    }
    if (response.size() < 2) {
        // vpcd answers an empty frame when the card went away mid-command; pcscd notices the removal at its
        // next presence poll (~400 ms), so give it a second to tell a pulled card from a broken answer.
        SCARD_READERSTATE state{};
        state.szReader = reader_.c_str();
        state.dwCurrentState = SCARD_STATE_UNAWARE;
        for (int i = 0; i < 2; ++i) {
            if (SCardGetStatusChange(handles_->context, i == 0 ? 0 : 1500, &state, 1) != SCARD_S_SUCCESS) break;
            if (state.dwEventState & SCARD_STATE_EMPTY)
                throw CardError(CardFault::Removed, "the card was removed from '" + reader_ + "' during a command");
            state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
        }
        throw CardError(CardFault::Other, "the card answered " + std::to_string(response.size()) + " bytes, no status word");
    }
    return response;
}

}  // namespace mynasim::client
