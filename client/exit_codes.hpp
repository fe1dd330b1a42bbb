#pragma once
// Exit codes of `mynasim client` (also in its --help and docs/client.md). Grouped by tens: PIN, card,
// server verdict, server transport.
namespace mynasim::client::exit_code {

inline constexpr int ok = 0;
inline constexpr int usage = 2;                 // bad arguments (e.g. a PIN that is not 4 digits)
inline constexpr int wrong_pin = 10;            // VERIFY failed; tries left in the output
inline constexpr int pin_locked = 11;           // the auth PIN is blocked: no VERIFY was sent
inline constexpr int pin_not_set = 12;          // the card has no PIN (顔認証マイナンバーカード): use PIN無し; no VERIFY was sent
inline constexpr int no_reader = 20;            // no PC/SC service or no (such) reader
inline constexpr int no_card = 21;              // no card in the reader
inline constexpr int card_removed = 22;         // the card went away mid-transaction
inline constexpr int card_mute = 23;            // the card did not answer within --card-timeout
inline constexpr int not_my_number_card = 24;   // no JPKI AP
inline constexpr int card_error = 25;           // the card refused a command (status word in the output)
inline constexpr int certificate_rejected = 30;  // the server refused the certificate (OQS-E2xxx)
inline constexpr int not_registered = 31;       // no 初回登録 yet (OQS-E3001)
inline constexpr int server_refused = 32;       // any other error answer (code and message in the output)
inline constexpr int rejected = 33;             // file interface: the request came back as .err (ErrorDetail in the output)
inline constexpr int bulk_pending = 34;         // file interface: a bulk result is not ready yet (SegmentOfResult 2): ask again later
inline constexpr int server_unreachable = 40;   // cannot connect (or TLS failed)
inline constexpr int server_timeout = 41;       // no answer within --timeout (HTTP call, or Res file)
inline constexpr int server_malformed = 42;     // an answer that is not the API's XML (garbage, cut, HTTP error page)

}  // namespace mynasim::client::exit_code
