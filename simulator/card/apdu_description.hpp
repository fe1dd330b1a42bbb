#pragma once
// Human-readable names for commands and responses, for traces and the CLI:
//   "SELECT JPKI AP", "READ BINARY EF 000A (auth certificate) offset 0 Le 4", "VERIFY auth PIN (empty: ask tries)".
#include <string>

#include "base/bytes.hpp"
#include "card/card_definition.hpp"
#include "card/card_state.hpp"

namespace mynasim::card {

// `session` is the state BEFORE the command (to name the EF a command refers to implicitly).
std::string describe_command(const CardDefinition& definition, const CardSession& session, ByteView apdu);
// "9000 OK", "63C2 verification failed, 2 tries left", "(no answer)"; data length when there is data.
std::string describe_response(ByteView response);
// Name of a well-known My Number card AID ("JPKI AP"), or the hex of the AID.
std::string aid_name(ByteView aid);

}  // namespace mynasim::card
